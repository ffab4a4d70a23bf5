"""The MQL entries are kept: a daily build reads only the new history days, and gives what reading
the whole history gives.

int_person_mql_entries carries each person's sequence on from their latest row (macros/mql_entries.sql);
fct_mql_events is computed from its entries. On a copy of the small world after its first run, days
are added to the person score history by hand (the first day's people, with their MQL flag flipped
for about a third of them, differently each day, and some people not scored on a day and back the
next), and after each day the two models are built incrementally. Then:

1. the entries and the events equal a full refresh of both, row for row (an independent route: the
   whole history in one window);
2. a past day is re-scored (a backfill: the day's rows written again, some flags changed): the daily
   build reads the whole history again, and again equals a full refresh;
3. each daily build read only its day: a history row of an older day changed behind its back (not
   stamped by a newer run, so not a backfill) is not read, and the kept entries still show the old
   flag.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from .cli import dbt

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

HISTORY = "marts.fct_person_score_history"
MODELS = ("int_person_mql_entries", "fct_mql_events")
TABLES = {
    "int_person_mql_entries": "select * exclude (refreshed_at) from intermediate.int_person_mql_entries",
    "fct_mql_events": "select * from marts.fct_mql_events",
}


def query(data_dir: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        return con.execute(sql, parameters or []).fetchall()


def build(data_dir: Path, work_dir: Path, full_refresh: bool = False) -> dict[str, list[tuple]]:
    """Builds the entries and the events (and their data tests); their rows, sorted."""
    args = ["build", "--select", *MODELS, "--exclude-resource-type", "unit_test"]
    dbt(data_dir, work_dir, *args, *(["--full-refresh"] if full_refresh else []))
    return {name: sorted(query(data_dir, sql), key=repr) for name, sql in TABLES.items()}


def now() -> datetime:
    """A run's stamp as dbt writes it: its start in UTC (run_started_at), without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def score_day(data_dir: Path, day_number: int) -> None:
    """Adds history day ``day_number`` (after the first), as a run now would: the first day's rows,
    the MQL flag flipped where a hash of the person and day says so, people of another hash not
    scored that day."""
    query(
        data_dir,
        f"insert into {HISTORY} by name "
        f"select * replace (as_of_date + cast(? as integer) as as_of_date, "
        f"cast(? as timestamp) as refreshed_at, "
        f"case when hash(person_id, ?) % 3 = 0 then not is_mql else is_mql end as is_mql) "
        f"from {HISTORY} where as_of_date = (select min(as_of_date) from {HISTORY}) "
        f"and hash(person_id, ?, 'absent') % 7 != 0",
        [day_number, now(), day_number, day_number],
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("mql-entries-kept"))


def test_the_kept_entries_equal_a_read_of_the_whole_history(data_dir: Path, tmp_path: Path) -> None:
    [(first_day, people)] = query(
        data_dir, f"select min(as_of_date), count(distinct person_id) from {HISTORY}"
    )
    assert people > 50

    for day_number in (1, 2, 3, 4):
        score_day(data_dir, day_number)
        kept = build(data_dir, tmp_path / f"day-{day_number}")
    [(days,)] = query(data_dir, f"select count(distinct as_of_date) from {HISTORY}")
    assert days == 5
    # the flips made people enter after the first day, and some of them are events again only
    # where a recycle says so: the entries outnumber the first day's
    [(later_entries,)] = query(
        data_dir,
        "select count(*) from intermediate.int_person_mql_entries "
        "where row_kind = 'entry' and as_of_date > ?",
        [first_day],
    )
    assert later_entries > 0

    # 1. equal to reading the whole history
    assert kept == build(data_dir, tmp_path / "full", full_refresh=True)

    # 2. a backfill of day 2: its rows written again by a newer run, some flags changed
    backfill = now()
    query(
        data_dir,
        f"update {HISTORY} set refreshed_at = ?, is_mql = case when hash(person_id, 'backfill') % 2 = 0 "
        f"then not is_mql else is_mql end where as_of_date = ?",
        [backfill, first_day + timedelta(days=2)],
    )
    after_backfill = build(data_dir, tmp_path / "backfill")
    assert after_backfill != kept
    assert after_backfill == build(data_dir, tmp_path / "backfill-full", full_refresh=True)

    # 3. a day's row changed without a newer run's stamp is not read again by a daily build
    [(person_id, was_entry)] = query(
        data_dir,
        "select person_id, true from intermediate.int_person_mql_entries "
        "where row_kind = 'entry' and as_of_date = ? order by person_id limit 1",
        [first_day + timedelta(days=1)],
    )
    assert was_entry
    query(
        data_dir,
        f"update {HISTORY} set is_mql = false where person_id = ? and as_of_date = ?",
        [person_id, first_day + timedelta(days=1)],
    )
    score_day(data_dir, 5)
    build(data_dir, tmp_path / "day-5")
    [(still_there,)] = query(
        data_dir,
        "select count(*) from intermediate.int_person_mql_entries "
        "where row_kind = 'entry' and person_id = ? and as_of_date = ?",
        [person_id, first_day + timedelta(days=1)],
    )
    assert still_there == 1
