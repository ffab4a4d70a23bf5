-- Any score is the sum of its ledger rows: fit from the fit rows, interest from the interest and
-- interest_floor rows. Returns the scores that disagree (beyond float rounding).

with

ledger as (

    select
        person_id,
        model_id,
        sum(case when component = 'fit' then points else 0 end) as ledger_fit,
        sum(case when component != 'fit' then points else 0 end) as ledger_interest
    from {{ ref('fct_score_ledger') }}
    group by person_id, model_id

)

select
    scores.person_id,
    scores.model_id,
    scores.fit_score,
    scores.interest_score,
    coalesce(ledger.ledger_fit, 0) as ledger_fit,
    coalesce(ledger.ledger_interest, 0) as ledger_interest
from {{ ref('fct_person_scores') }} as scores
left join ledger
    on scores.person_id = ledger.person_id and scores.model_id = ledger.model_id
where
    abs(scores.fit_score - coalesce(ledger.ledger_fit, 0)) > 0.000001
    or abs(scores.interest_score - coalesce(ledger.ledger_interest, 0)) > 0.000001
