"""`mqa evaluate accounts`: MQAs before opportunities, on a hand-made history (values worked out below)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.evaluation.accounts import evaluate_mqa_timing, format_mqa_timing

DAYS = ["2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22"]


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    for schema in ("reference", "marts", "staging"):
        connection.execute(f"create schema {schema}")
    connection.execute("create table reference.scoring_models as select 'm' as model_id, 30 as horizon_days")
    connection.execute(
        "create table marts.fct_account_score_history (model_id varchar, as_of_date date, account_id varchar)"
    )
    for day in DAYS:
        for account in "ABCD":
            connection.execute(
                "insert into marts.fct_account_score_history values ('m', ?, ?)", [day, account]
            )
    connection.execute(
        "create table marts.fct_mqa_events (model_id varchar, account_id varchar, mqa_date date)"
    )
    connection.execute(
        "insert into marts.fct_mqa_events values ('m', 'A', '2026-01-08'), ('m', 'B', '2026-01-01')"
    )
    connection.execute(
        "create table marts.bridge_account_records "
        "(source_system varchar, source_object varchar, source_record_id varchar, account_id varchar)"
    )
    for crm_id, account in [("001A", "A"), ("001B", "B"), ("001C", "C"), ("001D", "D"), ("001E", "E")]:
        connection.execute(
            "insert into marts.bridge_account_records values ('crm', 'account', ?, ?)", [crm_id, account]
        )
    connection.execute(
        "create table staging.stg_crm__opportunities "
        "(opportunity_id varchar, account_id varchar, created_at timestamp, is_deleted boolean)"
    )
    connection.execute(
        "insert into staging.stg_crm__opportunities values "
        "('oA', '001A', '2026-01-20 10:00', false),"  # A qualified on 01-08: preceded, 12 days lead
        "('oC', '001C', '2026-01-10 10:00', false),"  # C never qualified: not preceded
        "('oE', '001E', '2026-01-10 10:00', false),"  # E is not scored by the model: left out
        "('oB', '001B', '2026-01-01 10:00', false),"  # on the first scored day: outside the period
        "('oD', '001D', '2026-01-12 10:00', true)"  # deleted: left out
    )
    yield connection
    connection.close()


def test_share_chance_lift_and_lead_time(con) -> None:
    (result,) = evaluate_mqa_timing(con)
    assert (result.model_id, result.horizon_days, result.scored_days) == ("m", 30, 4)
    assert (result.opportunities, result.preceded_by_mqa) == (2, 1)
    assert result.share_preceded == pytest.approx(0.5)
    # chance: 12 (account, day) pairs after the first day; A has an MQA before 01-15 and 01-22 (2),
    # B before 01-08, 01-15 and 01-22 (3), C and D never: 5 / 12
    assert result.chance_share == pytest.approx(5 / 12)
    assert result.lift == pytest.approx(0.5 / (5 / 12))
    assert result.median_lead_days == pytest.approx(12)


def test_no_history_gives_no_figures(con) -> None:
    con.execute("delete from marts.fct_account_score_history")
    (result,) = evaluate_mqa_timing(con)
    assert (result.scored_days, result.opportunities, result.share_preceded, result.lift) == (
        0,
        0,
        None,
        None,
    )
    assert "n/a" in format_mqa_timing([result])
