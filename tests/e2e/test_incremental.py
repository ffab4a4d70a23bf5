"""The incremental daily run gives the same marts as a full rebuild on the same data.

One world on the small preset: `mqa generate`, `mqa run` (the first build, through Dagster: a copy
of the session's built small world, tests/e2e/conftest.py), one more day of extracts
(orchestration.generator.next_day), `mqa run` again (the daily, incremental run). Its marts are
then compared row for row with a rebuild from scratch of the same warehouse by dbt directly
(`dbt build --full-refresh`, an independent route from the Dagster job).

The score histories are incremental by design: each run adds the rows of its scoring day and never
recomputes the past, so after the daily run they hold two days, while a full refresh of them keeps
only the current one. The rebuild therefore runs in two steps:

1. every model from scratch *except* the two histories, which keep the days the daily run left.
   Every other mart is then comparable row for row, the marts computed from the histories' earlier
   days included (HISTORY_DERIVED below): they are recomputed from scratch over the same history;
2. the two histories from scratch too, compared with the daily run's on the day both hold (the
   latest scoring day). That the daily run kept the earlier day as the first run wrote it is
   checked against a copy taken after the first run.

The learning backtest is kept the same way (BACKTESTS, tests/e2e/backtest.py): its train and test rows are
computed once per retrain date and kept by the daily run, while a full refresh computes them again
from the warehouse as it is now (today's golden record and identity). Step 1 leaves those tables
alone too, so the learned models' marts are compared row for row on the same backtest; step 2
rebuilds them, and their scoring-date rows are compared with the daily run's. That the daily run
kept the backtest as the first run wrote it is checked against a copy taken after the first run.
"""

from __future__ import annotations

import gc
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from .backtest import BACKTESTS, cutoff_spacings, retrain_date
from .cli import dbt, mqa

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

# Incremental by design: a full refresh keeps only the current scoring day (see the module docstring).
HISTORIES = {
    "fct_person_score_history": "as_of_date",
    "fct_account_score_history": "as_of_date",
}
# The marts whose rows depend on the histories' earlier days, worked out from their SQL:
# - fct_mql_events: a person's first day in an MQL cell, and re-entries after a recycle (the last
#   MQL day before), from the entries int_person_mql_entries keeps (the daily run reads only the new
#   day). With one day of history every MQL is a "first" event on that day; with two, an MQL of
#   both days is an event of the first day only;
# - fct_mqa_events: the same for accounts (first MQA day, "requalified" after a gap);
# - rpt_mql_calibration: MQL counts and dispositions per MQL month, from the MQL events (through
#   intermediate.int_mql_dispositions_matched);
# - rpt_campaign_impact: MQA accounts per campaign, from the MQA events.
# They are compared row for row all the same, because step 1 of the rebuild keeps the daily run's
# history; test_the_history_derived_marts_are_exactly_the_known_ones keeps this list complete.
HISTORY_DERIVED = {"fct_mql_events", "fct_mqa_events", "rpt_mql_calibration", "rpt_campaign_impact"}
REQUIRED_MARTS = {"fct_activities", "fct_person_scores", "fct_account_scores", "dim_persons"}
# The staged records (every CRM object and the Marketo leads: each record's latest version) are
# incremental: a daily run ranks again only the records delivered since. They are compared row for
# row with the rebuild too; the two staged event logs are left to the marts built from them (the
# activity fact), being the largest tables of the small world.
STAGED_EVENT_LOGS = {"stg_map__activities", "stg_web__page_views"}
# Written by a Dagster asset from the backtest's training and test examples: refitted only when
# they change, so a daily run between two retrain dates keeps it as the first run wrote it.
CHALLENGER = "challenger_predictions"
# Computed from the backtest alone and kept with it per model, the scores' train and test rows
# included (backtest_fingerprint, macros/learning_backtest.sql). Step 1 of the rebuild computes
# them from scratch on the backtest the daily run kept, so they are compared row for row.
BACKTEST_RESULTS = ("int_learning_scores", "int_learning_predictions", "int_learning_predictions_ranked")
EXAMPLES = 3
# When a row was computed (the run's start): the engagement report's tables keep the rows of weeks
# that did not change, so after the daily run their rows carry either run's time, and after the
# rebuild the rebuild's. Left out of the comparison; what the rows say is compared.
COMPUTED_AT = "refreshed_at"


class _NaN:
    """One NaN that equals itself (float NaN does not, which would fail equal rows)."""

    def __repr__(self) -> str:
        return "nan"


NAN = _NaN()


def normalise(value: object) -> object:
    """A comparable, hashable value. Floats are rounded to 9 significant digits: the two builds may
    sum the same numbers in another order (parallel aggregation), which moves the last bits."""
    if isinstance(value, float):
        return NAN if math.isnan(value) else float(f"{value:.9g}")
    if isinstance(value, list | tuple):
        return tuple(normalise(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, normalise(item)) for key, item in value.items())
    return value


def sort_key(value: object) -> tuple:
    """None first, NaN last, anything else by its value (nested values element by element)."""
    if value is None:
        return (0,)
    if value is NAN:
        return (2,)
    if isinstance(value, tuple):
        return (1, tuple(sort_key(item) for item in value))
    return (1, value)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple]  # normalised and sorted by every column


def read_marts(warehouse: Path, only: set[str] | None = None, schema: str = "marts") -> dict[str, Table]:
    """Every table and view of the marts schema (or another; or those named in ``only``), without
    the column of when a row was computed (COMPUTED_AT).

    Opened with DuckDB's default configuration: dbt-duckdb keeps its own connection to the file open
    in this process once dbt has run, and DuckDB refuses a second one with another configuration
    (read_only included)."""
    marts = {}
    with duckdb.connect(str(warehouse)) as con:
        names = con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
        ).fetchall()
        for (name,) in names:
            if only is not None and name not in only:
                continue
            has_time = con.execute(
                "select count(*) from information_schema.columns "
                "where table_schema = ? and table_name = ? and column_name = ?",
                [schema, name, COMPUTED_AT],
            ).fetchall()[0][0]
            exclude = f" exclude ({COMPUTED_AT})" if has_time else ""
            cursor = con.execute(f'select *{exclude} from {schema}."{name}"')
            columns = tuple(column[0] for column in cursor.description)
            rows = [tuple(normalise(value) for value in row) for row in cursor.fetchall()]
            rows.sort(key=lambda row: tuple(sort_key(value) for value in row))
            marts[name] = Table(columns, rows)
    return marts


def read_staged_records(warehouse: Path) -> dict[str, Table]:
    """Every staging table but the event logs."""
    with duckdb.connect(str(warehouse)) as con:
        names = con.execute(
            "select table_name from information_schema.tables where table_schema = 'staging'"
        ).fetchall()
    return read_marts(warehouse, {name for (name,) in names} - STAGED_EVENT_LOGS, "staging")


def dbt_full_refresh(world: Path, work_dir: Path, *selection: str) -> None:
    """`dbt build --full-refresh` of the project on the world's warehouse, in this process."""
    dbt(world, work_dir, "build", "--full-refresh", *selection)


@dataclass(frozen=True)
class World:
    first_histories: dict[str, Table]  # the histories after the first run
    new_day: date
    incremental: dict[str, Table]  # the marts after the daily run
    rebuilt: dict[str, Table]  # every mart but the histories rebuilt from scratch (step 1)
    rebuilt_histories: dict[str, Table]  # the histories rebuilt from scratch (step 2)
    first_backtests: dict[str, Table]  # the learning backtest tables after the first run
    incremental_backtests: dict[str, Table]  # ... after the daily run
    rebuilt_backtests: dict[str, Table]  # ... rebuilt from scratch (step 2)
    incremental_staging: dict[str, Table]  # the staged CRM and Marketo records after the daily run
    rebuilt_staging: dict[str, Table]  # ... rebuilt from scratch (step 1)
    first_challenger: dict[str, Table]  # learning.challenger_predictions after the first run
    incremental_challenger: dict[str, Table]  # ... after the daily run
    first_results: dict[str, Table]  # BACKTEST_RESULTS after the first run
    incremental_results: dict[str, Table]  # ... after the daily run
    rebuilt_results: dict[str, Table]  # ... rebuilt from scratch (step 1)
    manifest: dict


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> World:
    root = tmp_path_factory.mktemp("incremental")
    data_dir = copy_small_world(root)  # after `mqa generate` and the first `mqa run`
    first_histories = read_marts(data_dir / "warehouse.duckdb", set(HISTORIES))
    first_backtests = read_marts(data_dir / "warehouse.duckdb", set(BACKTESTS), "intermediate")
    first_challenger = read_marts(data_dir / "warehouse.duckdb", {CHALLENGER}, "learning")
    first_results = read_marts(data_dir / "warehouse.duckdb", set(BACKTEST_RESULTS), "intermediate")

    from orchestration.generator.next_day import last_activity_date, write_next_day

    new_day = last_activity_date(data_dir / "landing") + timedelta(days=1)
    write_next_day(data_dir / "landing", new_day)
    daily = mqa(data_dir, "run")
    assert daily.returncode == 0, daily.stdout[-3000:] + daily.stderr[-3000:]
    assert "succeeded" in daily.stdout
    incremental = read_marts(data_dir / "warehouse.duckdb")
    incremental_backtests = read_marts(data_dir / "warehouse.duckdb", set(BACKTESTS), "intermediate")
    incremental_staging = read_staged_records(data_dir / "warehouse.duckdb")
    incremental_challenger = read_marts(data_dir / "warehouse.duckdb", {CHALLENGER}, "learning")
    incremental_results = read_marts(data_dir / "warehouse.duckdb", set(BACKTEST_RESULTS), "intermediate")

    # The runs were other processes and every connection above is closed: nothing holds the file.
    gc.collect()
    kept = [*HISTORIES, *BACKTESTS]
    dbt_full_refresh(data_dir, root, "--exclude", "resource_type:unit_test", *kept)
    rebuilt = read_marts(data_dir / "warehouse.duckdb")
    rebuilt_staging = read_staged_records(data_dir / "warehouse.duckdb")
    rebuilt_results = read_marts(data_dir / "warehouse.duckdb", set(BACKTEST_RESULTS), "intermediate")
    dbt_full_refresh(data_dir, root, "--select", *kept, "--exclude", "resource_type:unit_test")
    rebuilt_histories = read_marts(data_dir / "warehouse.duckdb", set(HISTORIES))
    rebuilt_backtests = read_marts(data_dir / "warehouse.duckdb", set(BACKTESTS), "intermediate")
    manifest = json.loads((root / "target" / "manifest.json").read_text(encoding="utf-8"))
    return World(
        first_histories,
        new_day,
        incremental,
        rebuilt,
        rebuilt_histories,
        first_backtests,
        incremental_backtests,
        rebuilt_backtests,
        incremental_staging,
        rebuilt_staging,
        first_challenger,
        incremental_challenger,
        first_results,
        incremental_results,
        rebuilt_results,
        manifest,
    )


def difference(name: str, ours: Table, theirs: Table) -> str | None:
    """None when equal, else what differs: columns, or rows only on either side with a few examples."""
    if ours.columns != theirs.columns:
        return f"{name}: columns differ: daily run {ours.columns} vs rebuild {theirs.columns}"
    ours_only = Counter(ours.rows) - Counter(theirs.rows)
    theirs_only = Counter(theirs.rows) - Counter(ours.rows)
    if not ours_only and not theirs_only:
        return None
    lines = [
        f"{name}: {len(ours.rows)} rows after the daily run, {len(theirs.rows)} after the rebuild; "
        f"{ours_only.total()} only after the daily run, {theirs_only.total()} only after the rebuild "
        f"(columns {', '.join(ours.columns)})"
    ]
    for side, only in (("daily run", ours_only), ("rebuild", theirs_only)):
        lines += [f"  only in the {side}: {row}" for row in sorted(only, key=lambda r: str(r))[:EXAMPLES]]
    return "\n".join(lines)


def on_days(table: Table, column: str, days: set[date]) -> Table:
    index = table.columns.index(column)
    return Table(table.columns, [row for row in table.rows if row[index] in days])


def days_of(table: Table, column: str) -> set[date]:
    index = table.columns.index(column)
    return {row[index] for row in table.rows}


def before(table: Table, column: str, day: date) -> Table:
    index = table.columns.index(column)
    return Table(table.columns, [row for row in table.rows if row[index] < day])


def test_the_marts_are_there(world: World) -> None:
    assert REQUIRED_MARTS | set(HISTORIES) | HISTORY_DERIVED <= set(world.incremental)
    assert set(world.rebuilt) == set(world.incremental)
    assert all(world.incremental[name].rows for name in REQUIRED_MARTS)


def test_every_mart_matches_a_full_rebuild_row_for_row(world: World) -> None:
    # The histories are compared by the next test; HISTORY_DERIVED marts are compared here, on the
    # same history days as the daily run's (step 1 of the rebuild left the histories alone).
    differences = [
        found
        for name in sorted(set(world.incremental) - set(HISTORIES))
        if (found := difference(name, world.incremental[name], world.rebuilt[name]))
    ]
    assert not differences, "\n".join(differences)


def test_every_staged_record_matches_a_full_rebuild_row_for_row(world: World) -> None:
    staged = {
        node["name"]
        for node in world.manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["path"].startswith("staging/")
        and node["config"]["materialized"] == "incremental"
        and node["config"].get("incremental_strategy") == "delete+insert"
    }
    # every staged record table is incremental by record id (the new day delivers leads and contacts
    # again with a newer SystemModstamp, and new leads), and each is compared row for row below
    assert staged == set(world.incremental_staging)
    assert {"stg_crm__leads", "stg_crm__contacts", "stg_map__leads"} <= staged
    assert set(world.rebuilt_staging) == set(world.incremental_staging)
    differences = [
        found
        for name in sorted(world.incremental_staging)
        if (found := difference(name, world.incremental_staging[name], world.rebuilt_staging[name]))
    ]
    assert not differences, "\n".join(differences)


def test_the_score_histories_match_a_full_rebuild_on_the_day_both_hold(world: World) -> None:
    differences = []
    for name, day_column in HISTORIES.items():
        ours, theirs = world.incremental[name], world.rebuilt_histories[name]
        both = days_of(ours, day_column) & days_of(theirs, day_column)
        # a full refresh scores the latest day only: the new day, the daily run's scoring day
        assert both == days_of(theirs, day_column) == {world.new_day}, name
        found = difference(name, on_days(ours, day_column, both), on_days(theirs, day_column, both))
        if found:
            differences.append(found)
    assert not differences, "\n".join(differences)


def test_the_daily_run_added_its_day_and_kept_the_earlier_one_as_it_was(world: World) -> None:
    for name, day_column in HISTORIES.items():
        first, daily = world.first_histories[name], world.incremental[name]
        (first_day,) = days_of(first, day_column)
        assert first_day < world.new_day
        assert days_of(daily, day_column) == {first_day, world.new_day}, name
        assert difference(name, on_days(daily, day_column, {first_day}), first) is None


def test_the_history_derived_marts_are_exactly_the_known_ones(world: World) -> None:
    """Every mart built from a history (directly or not) is listed in HISTORY_DERIVED, with why."""
    nodes, children = world.manifest["nodes"], world.manifest["child_map"]
    histories = {
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model" and node["name"] in HISTORIES
    }
    assert {nodes[unique_id]["config"]["materialized"] for unique_id in histories} == {"incremental"}
    downstream, stack = set(), list(histories)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in downstream and child in nodes and nodes[child]["resource_type"] == "model":
                downstream.add(child)
                stack.append(child)
    derived_marts = {
        nodes[unique_id]["name"] for unique_id in downstream if nodes[unique_id]["schema"] == "marts"
    }
    assert derived_marts == HISTORY_DERIVED


def test_the_daily_run_kept_the_learning_backtest_as_the_first_run_wrote_it(world: World) -> None:
    first_day = world.new_day - timedelta(days=1)
    every_days = cutoff_spacings()
    # the precondition: both scoring days fall between the same two retrain dates, for every model
    assert {retrain_date(first_day, n) for n in every_days} == {
        retrain_date(world.new_day, n) for n in every_days
    }
    for name in sorted(BACKTESTS):
        first, daily = world.first_backtests[name], world.incremental_backtests[name]
        assert max(days_of(first, "cutoff_date")) == first_day, name  # the first run's scoring rows
        assert before(first, "cutoff_date", first_day).rows, name
        assert first_day not in days_of(daily, "cutoff_date"), name  # the first run's scoring rows are gone
        found = difference(
            name, before(daily, "cutoff_date", world.new_day), before(first, "cutoff_date", first_day)
        )
        assert found is None, found


def test_the_daily_run_kept_the_challenger_it_had_fitted_on_the_same_backtest(world: World) -> None:
    # same backtest: test_the_daily_run_kept_the_learning_backtest_as_the_first_run_wrote_it
    first, daily = world.first_challenger[CHALLENGER], world.incremental_challenger[CHALLENGER]
    assert first.rows
    assert {row[first.columns.index("split")] for row in first.rows} == {"train", "test"}
    found = difference(CHALLENGER, daily, first)  # trained_at included: not fitted again
    assert found is None, found


def test_the_learning_scoring_rows_match_a_full_rebuild(world: World) -> None:
    differences = []
    for name in sorted(BACKTESTS):
        ours, theirs = world.incremental_backtests[name], world.rebuilt_backtests[name]
        assert world.new_day in days_of(ours, "cutoff_date"), name
        found = difference(
            name,
            on_days(ours, "cutoff_date", {world.new_day}),
            on_days(theirs, "cutoff_date", {world.new_day}),
        )
        if found:
            differences.append(found)
    assert not differences, "\n".join(differences)


def test_the_backtest_results_the_daily_run_kept_match_a_rebuild_row_for_row(world: World) -> None:
    # same backtest: test_the_daily_run_kept_the_learning_backtest_as_the_first_run_wrote_it
    assert set(world.incremental_results) == set(world.rebuilt_results) == set(BACKTEST_RESULTS)
    differences = [
        found
        for name in BACKTEST_RESULTS
        if (found := difference(name, world.incremental_results[name], world.rebuilt_results[name]))
    ]
    assert not differences, "\n".join(differences)


def test_the_daily_run_kept_the_backtest_results_as_the_first_run_wrote_them(world: World) -> None:
    first_day = world.new_day - timedelta(days=1)
    for name in BACKTEST_RESULTS:
        first, daily = world.first_results[name], world.incremental_results[name]
        assert {row[first.columns.index("split")] for row in first.rows} >= {"train", "test"}, name
        # the predictions and ranks hold train and test rows only; the scores the scoring date's too
        assert max(days_of(first, "cutoff_date")) <= first_day, name
        found = difference(
            name, before(daily, "cutoff_date", world.new_day), before(first, "cutoff_date", first_day)
        )
        assert found is None, found
    scores = world.incremental_results["int_learning_scores"]
    assert world.new_day in days_of(scores, "cutoff_date")
    assert first_day not in days_of(scores, "cutoff_date")  # the first run's scoring rows are gone
