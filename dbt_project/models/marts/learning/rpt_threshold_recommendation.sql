-- Where to set each model's threshold, from history (all training and test cutoffs): for each
-- candidate share of the highest scores (var threshold_candidate_shares), the score that cuts it,
-- the volume it implies (examples at or above it per cutoff date), the outcome rate above it, and
-- for people the share of sales dispositions given within the horizon that were "Accepted". The
-- recommended rows: the largest volume that still reaches the model's target conversion rate, and
-- the largest that still reaches its target acceptance rate (learning_settings).

{%- set shares = var('threshold_candidate_shares') %}

with

predictions as (

    select * from {{ ref('int_learning_predictions') }}
    where method != 'challenger'

),

settings as (

    select * from {{ ref('learning_settings') }}

),

ranked as (

    select
        predictions.*,
        row_number() over (
            partition by predictions.entity_type, predictions.model_id, predictions.method
            order by predictions.score desc, predictions.entity_id asc, predictions.cutoff_date asc
        ) as position_from_top,
        count(*)
            over (partition by predictions.entity_type, predictions.model_id, predictions.method)
            as history_examples,
        count(distinct predictions.cutoff_date)
            over (partition by predictions.entity_type, predictions.model_id, predictions.method)
            as history_cutoffs
    from predictions

),

candidates as (

    {% for share in shares %}
        select {{ share }} as top_share
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

cut_scores as (

    select
        ranked.entity_type,
        ranked.model_id,
        ranked.method,
        candidates.top_share,
        min(ranked.score) as threshold_score
    from ranked
    inner join candidates
        on ranked.position_from_top <= ceiling(candidates.top_share * ranked.history_examples)
    group by ranked.entity_type, ranked.model_id, ranked.method, candidates.top_share

),

dispositions as (

    select
        person_id,
        mql_date,
        disposition_status
    from {{ ref('int_mql_dispositions_persons') }}
    where not is_deleted

),

above as (

    select
        cut_scores.entity_type,
        cut_scores.model_id,
        cut_scores.method,
        cut_scores.top_share,
        cut_scores.threshold_score,
        ranked.entity_id,
        ranked.cutoff_date,
        ranked.label,
        ranked.history_cutoffs,
        examples.horizon_end_date
    from cut_scores
    inner join ranked
        on
            cut_scores.entity_type = ranked.entity_type
            and cut_scores.model_id = ranked.model_id
            and cut_scores.method = ranked.method
            and cut_scores.threshold_score <= ranked.score
    inner join {{ ref('int_learning_examples') }} as examples
        on
            ranked.entity_type = examples.entity_type
            and ranked.model_id = examples.model_id
            and ranked.entity_id = examples.entity_id
            and ranked.cutoff_date = examples.cutoff_date

),

dispositioned as (

    select
        above.entity_type,
        above.model_id,
        above.method,
        above.top_share,
        above.entity_id,
        above.cutoff_date,
        max(case when dispositions.disposition_status = 'Accepted' then 1 else 0 end) as accepted
    from above
    inner join dispositions
        on
            above.entity_type = 'person'
            and above.entity_id = dispositions.person_id
            and above.cutoff_date < dispositions.mql_date
            and above.horizon_end_date >= dispositions.mql_date
    group by
        above.entity_type, above.model_id, above.method, above.top_share, above.entity_id, above.cutoff_date

),

outcomes as (

    select
        above.entity_type,
        above.model_id,
        above.method,
        above.top_share,
        max(above.threshold_score) as threshold_score,
        count(*) as examples_above,
        max(above.history_cutoffs) as history_cutoffs,
        sum(case when above.label then 1 else 0 end) as positives_above
    from above
    group by above.entity_type, above.model_id, above.method, above.top_share

),

acceptance as (

    select
        entity_type,
        model_id,
        method,
        top_share,
        count(*) as dispositioned,
        sum(accepted) as accepted
    from dispositioned
    group by entity_type, model_id, method, top_share

),

measured as (

    select
        outcomes.entity_type,
        outcomes.model_id,
        outcomes.method,
        outcomes.top_share,
        outcomes.threshold_score,
        outcomes.examples_above,
        cast(outcomes.examples_above as {{ type_double() }}) / outcomes.history_cutoffs as volume_per_cutoff,
        outcomes.positives_above,
        cast(outcomes.positives_above as {{ type_double() }}) / outcomes.examples_above as conversion_rate,
        coalesce(acceptance.dispositioned, 0) as dispositioned_above,
        case
            when acceptance.dispositioned > 0
                then cast(acceptance.accepted as {{ type_double() }}) / acceptance.dispositioned
        end as acceptance_rate,
        settings.target_conversion_rate,
        settings.target_acceptance_rate
    from outcomes
    inner join settings
        on outcomes.entity_type = settings.entity_type and outcomes.model_id = settings.model_id
    left join acceptance
        on
            outcomes.entity_type = acceptance.entity_type
            and outcomes.model_id = acceptance.model_id
            and outcomes.method = acceptance.method
            and outcomes.top_share = acceptance.top_share

),

best as (

    select
        entity_type,
        model_id,
        method,
        max(case when conversion_rate >= target_conversion_rate then top_share end) as conversion_share,
        max(case when acceptance_rate >= target_acceptance_rate then top_share end) as acceptance_share
    from measured
    group by entity_type, model_id, method

)

select
    measured.*,
    coalesce(measured.top_share = best.conversion_share, false) as is_recommended_for_conversion,
    coalesce(measured.top_share = best.acceptance_share, false) as is_recommended_for_acceptance
from measured
inner join best
    on
        measured.entity_type = best.entity_type
        and measured.model_id = best.model_id
        and measured.method = best.method
