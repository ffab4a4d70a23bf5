-- Where to set each model's threshold, from history (all training and test cutoffs): for each
-- candidate share of the highest scores (var threshold_candidate_shares), the score that cuts it,
-- the volume it implies (examples at or above it per cutoff date), the outcome rate above it, and
-- for people the share of sales dispositions given within the horizon that were "Accepted". The
-- recommended rows: the largest volume that still reaches the model's target conversion rate, and
-- the largest that still reaches its target acceptance rate (learning_settings).
--
-- The thresholds are found by ranking scores alone, and the examples above them counted in one pass
-- with the thresholds side by side, rather than joining every candidate with every example above
-- it (docs/decisions.md, "The threshold report counts in one pass").

{%- set shares = var('threshold_candidate_shares') %}

with

predictions as (

    select * from {{ ref('int_learning_predictions') }}
    where method != 'challenger'

),

settings as (

    select * from {{ ref('learning_settings') }}

),

horizons as (

    select distinct
        entity_type,
        model_id,
        cutoff_date,
        horizon_end_date
    from {{ ref('int_learning_cutoffs') }}
    where split != 'score'

),

dispositions as (

    select
        person_id,
        mql_date,
        disposition_status
    from {{ ref('int_mql_dispositions_persons') }}
    where not is_deleted

),

-- Each person example that sales gave a disposition within its horizon, and whether any of those
-- was Accepted: one row per example, whatever the method.
example_dispositions as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        max(case when dispositions.disposition_status = 'Accepted' then 1 else 0 end) as accepted
    from (
        select distinct
            entity_type,
            model_id,
            entity_id,
            cutoff_date
        from predictions
        where entity_type = 'person'
    ) as examples
    inner join horizons
        on
            examples.entity_type = horizons.entity_type
            and examples.model_id = horizons.model_id
            and examples.cutoff_date = horizons.cutoff_date
    inner join dispositions
        on
            examples.entity_id = dispositions.person_id
            and examples.cutoff_date < dispositions.mql_date
            and horizons.horizon_end_date >= dispositions.mql_date
    group by examples.entity_type, examples.model_id, examples.entity_id, examples.cutoff_date

),

-- A share's threshold is the score at position ceiling(share * examples) from the top: which of
-- the tied examples holds that position does not change the score, so only the score is sorted.
positions as (

    select
        entity_type,
        model_id,
        method,
        score,
        row_number() over (partition by entity_type, model_id, method order by score desc)
            as position_from_top
    from predictions

),

history as (

    select
        entity_type,
        model_id,
        method,
        count(*) as history_examples,
        count(distinct cutoff_date) as history_cutoffs
    from predictions
    group by entity_type, model_id, method

),

cut_positions as (

    {% for share in shares %}
        select
            entity_type,
            model_id,
            method,
            {{ loop.index }} as share_index,
            cast(ceiling({{ share }} * history_examples) as {{ dbt.type_bigint() }}) as cut_position
        from history
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

cut_scores as (

    select
        history.entity_type,
        history.model_id,
        history.method,
        history.history_cutoffs,
        {% for share in shares %}
            max(case when cut_positions.share_index = {{ loop.index }} then positions.score end)
                as threshold_{{ loop.index }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from history
    inner join cut_positions
        on
            history.entity_type = cut_positions.entity_type
            and history.model_id = cut_positions.model_id
            and history.method = cut_positions.method
    inner join positions
        on
            cut_positions.entity_type = positions.entity_type
            and cut_positions.model_id = positions.model_id
            and cut_positions.method = positions.method
            and cut_positions.cut_position = positions.position_from_top
    group by history.entity_type, history.model_id, history.method, history.history_cutoffs

),

flagged as (

    select
        predictions.entity_type,
        predictions.model_id,
        predictions.method,
        predictions.score,
        case when predictions.label then 1 else 0 end as positive,
        example_dispositions.entity_id is not null as is_dispositioned,
        coalesce(example_dispositions.accepted, 0) as accepted
    from predictions
    left join example_dispositions
        on
            predictions.entity_type = example_dispositions.entity_type
            and predictions.model_id = example_dispositions.model_id
            and predictions.entity_id = example_dispositions.entity_id
            and predictions.cutoff_date = example_dispositions.cutoff_date

),

-- Every example at or above a threshold, ties included, counted in one pass with the thresholds
-- side by side.
counted as (

    select
        cut_scores.entity_type,
        cut_scores.model_id,
        cut_scores.method,
        cut_scores.history_cutoffs,
        {% for share in shares %}
            {%- set above = 'flagged.score >= cut_scores.threshold_' ~ loop.index %}
            max(cut_scores.threshold_{{ loop.index }}) as threshold_{{ loop.index }},
            count(case when {{ above }} then 1 end) as examples_{{ loop.index }},
            sum(case when {{ above }} then flagged.positive else 0 end) as positives_{{ loop.index }},
            count(case when {{ above }} and flagged.is_dispositioned then 1 end)
                as dispositioned_{{ loop.index }},
            sum(case when {{ above }} then flagged.accepted else 0 end) as accepted_{{ loop.index }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from flagged
    inner join cut_scores
        on
            flagged.entity_type = cut_scores.entity_type
            and flagged.model_id = cut_scores.model_id
            and flagged.method = cut_scores.method
    group by cut_scores.entity_type, cut_scores.model_id, cut_scores.method, cut_scores.history_cutoffs

),

outcomes as (

    {% for share in shares %}
        select
            entity_type,
            model_id,
            method,
            {{ share }} as top_share,
            history_cutoffs,
            threshold_{{ loop.index }} as threshold_score,
            examples_{{ loop.index }} as examples_above,
            positives_{{ loop.index }} as positives_above,
            dispositioned_{{ loop.index }} as dispositioned,
            accepted_{{ loop.index }} as accepted
        from counted
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

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
        outcomes.dispositioned as dispositioned_above,
        case
            when outcomes.dispositioned > 0
                then cast(outcomes.accepted as {{ type_double() }}) / outcomes.dispositioned
        end as acceptance_rate,
        settings.target_conversion_rate,
        settings.target_acceptance_rate
    from outcomes
    inner join settings
        on outcomes.entity_type = settings.entity_type and outcomes.model_id = settings.model_id

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
