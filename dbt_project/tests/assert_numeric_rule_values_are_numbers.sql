-- Fit rules and model segments whose operator compares numbers (between, at_least, less_than)
-- must carry numbers ('low|high' for between); returns the rows that do not, so a typo in a seed
-- fails the build naming the model and rule instead of failing a cast deep inside scoring.

{% set numbers_pattern = '^-?[0-9]+([.][0-9]+)?([|]-?[0-9]+([.][0-9]+)?)?$' %}

with

conditions as (

    select
        'fit_rules' as seed_name,
        model_id,
        rule_id as condition_id,
        operator,
        value as condition_value
    from {{ ref('fit_rules') }}
    union all
    select
        'scoring_models' as seed_name,
        model_id,
        'segment' as condition_id,
        segment_operator as operator,
        segment_value as condition_value
    from {{ ref('scoring_models') }}

)

select *
from conditions
where
    operator in ('between', 'at_least', 'less_than')
    and (
        condition_value is null
        or {{ regexp_replace_all('condition_value', numbers_pattern, '') }} != '' -- noqa: LT05
    )
