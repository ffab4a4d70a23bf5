"""Do Marketing Qualified Accounts come before opportunities? Measured on the score history.

For each scoring model: of the opportunities created within the scored period, the share whose
account had an MQA event in the model's horizon before the opportunity was created, and the
median lead time in days; against chance: the share of (account, scored day) pairs whose account
had an MQA event in the same horizon before that day. A lift above 1 means MQAs precede
opportunities more often than chance. Everything is read from the marts; nothing is re-scored here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb


@dataclass(frozen=True)
class MqaTimingEvaluation:
    model_id: str
    horizon_days: int
    first_scored_date: str | None
    last_scored_date: str | None
    scored_days: int
    opportunities: int
    preceded_by_mqa: int
    share_preceded: float | None
    chance_share: float | None
    lift: float | None
    median_lead_days: float | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


EVALUATION_SQL = """
with

models as (
    select model_id, horizon_days from reference.scoring_models
),

scored_days as (
    select model_id, as_of_date, account_id from marts.fct_account_score_history
),

periods as (
    select model_id, min(as_of_date) as first_day, max(as_of_date) as last_day,
        count(distinct as_of_date) as days
    from scored_days group by model_id
),

opportunities as (
    select distinct
        bridge.account_id,
        opportunities.opportunity_id,
        cast(opportunities.created_at as date) as created_on
    from staging.stg_crm__opportunities as opportunities
    inner join marts.bridge_account_records as bridge
        on bridge.source_system = 'crm' and bridge.source_object = 'account'
        and bridge.source_record_id = opportunities.account_id
    where not opportunities.is_deleted
),

model_opportunities as (
    select periods.model_id, models.horizon_days, opportunities.*
    from opportunities
    cross join periods
    inner join models on periods.model_id = models.model_id
    where opportunities.created_on > periods.first_day and opportunities.created_on <= periods.last_day
        and exists (
            select 1 from scored_days
            where scored_days.model_id = periods.model_id
                and scored_days.account_id = opportunities.account_id
        )
),

preceded as (
    select
        model_opportunities.model_id,
        model_opportunities.opportunity_id,
        min(datediff('day', events.mqa_date, model_opportunities.created_on)) as lead_days
    from model_opportunities
    left join marts.fct_mqa_events as events
        on events.model_id = model_opportunities.model_id
        and events.account_id = model_opportunities.account_id
        and events.mqa_date < model_opportunities.created_on
        and events.mqa_date >= model_opportunities.created_on - model_opportunities.horizon_days
    group by model_opportunities.model_id, model_opportunities.opportunity_id
),

chance as (
    select
        scored_days.model_id,
        avg(case when exists (
            select 1 from marts.fct_mqa_events as events
            where events.model_id = scored_days.model_id
                and events.account_id = scored_days.account_id
                and events.mqa_date < scored_days.as_of_date
                and events.mqa_date >= scored_days.as_of_date - models.horizon_days
        ) then 1.0 else 0.0 end) as chance_share
    from scored_days
    inner join periods on scored_days.model_id = periods.model_id
    inner join models on scored_days.model_id = models.model_id
    where scored_days.as_of_date > periods.first_day
    group by scored_days.model_id
)

select
    models.model_id,
    models.horizon_days,
    cast(periods.first_day as varchar),
    cast(periods.last_day as varchar),
    coalesce(periods.days, 0),
    count(preceded.opportunity_id),
    count(preceded.lead_days),
    chance.chance_share,
    median(preceded.lead_days)
from models
left join periods on models.model_id = periods.model_id
left join preceded on models.model_id = preceded.model_id
left join chance on models.model_id = chance.model_id
group by all
order by models.model_id
"""


def evaluate_mqa_timing(con: duckdb.DuckDBPyConnection) -> list[MqaTimingEvaluation]:
    """One evaluation per scoring model, from the marts of a built warehouse."""
    results = []
    for row in con.execute(EVALUATION_SQL).fetchall():
        model_id, horizon, first, last, days, opportunities, preceded, chance, median_lead = row
        share = preceded / opportunities if opportunities else None
        lift = share / chance if share is not None and chance else None
        results.append(
            MqaTimingEvaluation(
                model_id=model_id,
                horizon_days=horizon,
                first_scored_date=first,
                last_scored_date=last,
                scored_days=days,
                opportunities=opportunities,
                preceded_by_mqa=preceded,
                share_preceded=share,
                chance_share=chance,
                lift=lift,
                median_lead_days=float(median_lead) if median_lead is not None else None,
            )
        )
    return results


def format_mqa_timing(results: list[MqaTimingEvaluation]) -> str:
    """A readable table, one block per model."""

    def shown(value: float | None, pattern: str) -> str:
        return "n/a" if value is None else pattern.format(value)

    lines = ["MQAs before opportunities (score history)"]
    for result in results:
        lines += [
            f"\nmodel {result.model_id} (horizon {result.horizon_days} days)",
            f"  scored days                        {result.scored_days}"
            f" ({result.first_scored_date} to {result.last_scored_date})",
            f"  opportunities created in the period {result.opportunities}",
            f"  preceded by an MQA in the horizon   {result.preceded_by_mqa}"
            f" ({shown(result.share_preceded, '{:.1%}')})",
            f"  chance (account-days after an MQA)  {shown(result.chance_share, '{:.1%}')}",
            f"  lift over chance                    {shown(result.lift, '{:.2f}')}",
            f"  median lead time, MQA to opportunity {shown(result.median_lead_days, '{:.0f} days')}",
        ]
    return "\n".join(lines)
