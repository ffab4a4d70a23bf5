"""The engagement report's tables keep their weeks; a daily build computes again only the weeks that
can have changed (macros/engagement_weeks.sql).

On a copy of the small world after its first run, rows of int_account_person_week_totals and
rpt_account_engagement are altered by hand, and dbt builds the touches, the totals and the report
again, incrementally:

1. nothing has changed: every row is kept, the altered ones with them;
2. one person's record has a new identity version (as identity resolution writes when it moves a
   record): the person's touches are counted again, and every week the person has at an account is
   computed again, in both tables (an altered row of such a week is put right), while a week
   without the person is kept (its altered row stays);
3. an account is renamed in dim_accounts: every week of that account in the report is computed
   again and carries the new name, and no other;
4. a person's golden record is computed again with another department (and dim_persons with it):
   the person's weeks are computed again in both tables, under the new department;
5. a person's department changes in dim_persons while the golden record is not computed again (no
   build writes that, but it shows where the check looks): nothing is computed again.

Then both tables are compared with a full refresh on the same warehouse, an independent route:
equal row for row (without the time each row was computed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from .cli import dbt

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

TOTALS = "intermediate.int_account_person_week_totals"
REPORT = "marts.rpt_account_engagement"


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(data_dir / "warehouse.duckdb"))


def rows(data_dir: Path, table: str) -> Counter:
    """The table's rows without the time each was computed, floats to 9 significant digits (two
    builds may add the same points in another order, which moves the last bits)."""
    with connect(data_dir) as con:
        found = con.execute(f"select * exclude (refreshed_at) from {table}").fetchall()
    return Counter(
        tuple(float(f"{value:.9g}") if isinstance(value, float) else value for value in row) for row in found
    )


def weeks_computed_after(data_dir: Path, table: str, moment: object) -> set[tuple]:
    with connect(data_dir) as con:
        found = con.execute(
            f"select distinct account_id, week_start from {table} where refreshed_at > ?", [moment]
        ).fetchall()
    return set(found)


def newest(data_dir: Path) -> object:
    with connect(data_dir) as con:
        return con.execute(f"select max(refreshed_at) from {REPORT}").fetchall()[0][0]


def alter(data_dir: Path, table: str, week: tuple, by: int = 1000) -> None:
    """Adds ``by`` inbound touches to every row of the week (account_id, week_start)."""
    with connect(data_dir) as con:
        con.execute(
            f"update {table} set inbound_touches = inbound_touches + ? "
            "where account_id = ? and week_start = ?",
            [by, *week],
        )


def build(data_dir: Path, work_dir: Path, full_refresh: bool = False) -> None:
    refresh = ("--full-refresh",) if full_refresh else ()
    dbt(
        data_dir,
        work_dir,
        "run",
        *refresh,
        "--select",
        "int_scoring_as_of",
        "int_account_person_week_touches",
        "int_account_person_week_totals",
        "rpt_account_engagement",
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("account-engagement-weeks"))


def test_the_report_computes_again_only_the_weeks_that_can_have_changed(
    data_dir: Path, tmp_path: Path
) -> None:
    with connect(data_dir) as con:
        # a person with weeks at an account, and a week of another account without them
        person, account = con.execute(
            f"select person_id, account_id from {TOTALS} "
            "group by all having count(*) >= 2 order by count(*) desc, person_id limit 1"
        ).fetchall()[0]
        person_weeks = set(
            con.execute(
                f"select distinct account_id, week_start from {TOTALS} where person_id = ?", [person]
            ).fetchall()
        )
        other_account, other_week = con.execute(
            f"select account_id, week_start from {TOTALS} where account_id <> ? order by all limit 1",
            [account],
        ).fetchall()[0]
    week_of_person, other = sorted(person_weeks)[0], (other_account, other_week)
    assert other not in person_weeks
    first_report, first_totals = rows(data_dir, REPORT), rows(data_dir, TOTALS)

    # 1. Nothing has changed: nothing is computed again, the altered rows are kept.
    before = newest(data_dir)
    alter(data_dir, REPORT, week_of_person)
    alter(data_dir, TOTALS, week_of_person)
    altered_report, altered_totals = rows(data_dir, REPORT), rows(data_dir, TOTALS)
    assert altered_report != first_report and altered_totals != first_totals
    build(data_dir, tmp_path)
    assert rows(data_dir, REPORT) == altered_report
    assert rows(data_dir, TOTALS) == altered_totals
    assert weeks_computed_after(data_dir, REPORT, before) == set()

    # 2. A new version of one of the person's records: the person's weeks are computed again (the
    # altered rows put right); the altered week of another account is kept.
    alter(data_dir, REPORT, other)
    with connect(data_dir) as con:
        (watermark,) = con.execute(
            "select max(resolved_through) from intermediate.int_account_person_week_touches"
        ).fetchall()[0]
        con.execute(
            "insert into intermediate.int_person_record_versions "
            "select * replace (greatest(cast(? as timestamp), cast(? as timestamp)) + interval 1 second "
            "as changed_at) "
            "from intermediate.int_person_record_versions where person_id = ? order by all limit 1",
            [watermark, before, person],
        )
    build(data_dir, tmp_path)
    assert weeks_computed_after(data_dir, TOTALS, before) == person_weeks
    assert weeks_computed_after(data_dir, REPORT, before) == person_weeks
    assert rows(data_dir, TOTALS) == first_totals
    report = rows(data_dir, REPORT)
    assert report != first_report  # the other account's altered week was kept
    alter(data_dir, REPORT, other, by=-1000)
    with connect(data_dir) as con:
        # no activity is resolved again here, so the touches' watermark stays before that version,
        # which would name the person in every build: take it out
        con.execute("delete from intermediate.int_person_record_versions where changed_at > ?", [watermark])
    assert rows(data_dir, REPORT) == first_report

    # 3. The other account is renamed: its weeks, and only they, are computed again with the name.
    before = newest(data_dir)
    with connect(data_dir) as con:
        con.execute(
            "update marts.dim_accounts set account_name = 'Renamed Inc' where account_id = ?", [other_account]
        )
        other_weeks = set(
            con.execute(
                f"select distinct account_id, week_start from {REPORT} where account_id = ?", [other_account]
            ).fetchall()
        )
    build(data_dir, tmp_path)
    assert weeks_computed_after(data_dir, REPORT, before) == other_weeks
    assert weeks_computed_after(data_dir, TOTALS, before) == set()
    with connect(data_dir) as con:
        names = con.execute(
            f"select distinct account_name from {REPORT} where account_id = ?", [other_account]
        )
        assert names.fetchall() == [("Renamed Inc",)]

    # 4. The person's golden record is computed again with another department: their weeks are
    # computed again in both tables.
    before = newest(data_dir)
    with connect(data_dir) as con:
        con.execute(
            "update intermediate.int_person_golden_records set department = 'procurement_test', "
            "refreshed_at = cast(? as timestamp) + interval 1 second where person_id = ?",
            [before, person],
        )
        con.execute(
            "update marts.dim_persons set department = 'procurement_test' where person_id = ?", [person]
        )
    build(data_dir, tmp_path)
    assert weeks_computed_after(data_dir, TOTALS, before) == person_weeks
    assert weeks_computed_after(data_dir, REPORT, before) == person_weeks
    with connect(data_dir) as con:
        departments = con.execute(
            f"select distinct breakdown_value from {REPORT} where breakdown = 'department' "
            "and account_id = ? and week_start = ?",
            list(week_of_person),
        ).fetchall()
    assert ("procurement_test",) in departments

    # 5. Another person's department changes in dim_persons alone: the check for changed profiles
    # looks only at the people whose golden record was computed since, so nothing is computed again.
    before = newest(data_dir)
    with connect(data_dir) as con:
        (other_person,) = con.execute(
            f"select min(person_id) from {TOTALS} where person_id <> ?", [person]
        ).fetchall()[0]
        con.execute(
            "update marts.dim_persons set department = 'unseen_test' where person_id = ?", [other_person]
        )
    build(data_dir, tmp_path)
    assert weeks_computed_after(data_dir, TOTALS, before) == set()
    assert weeks_computed_after(data_dir, REPORT, before) == set()
    with connect(data_dir) as con:
        con.execute(
            "update marts.dim_persons set department = golden.department from "
            "intermediate.int_person_golden_records as golden "
            "where dim_persons.person_id = golden.person_id and dim_persons.person_id = ?",
            [other_person],
        )

    # The kept and recomputed rows are what a full refresh computes.
    incremental_report, incremental_totals = rows(data_dir, REPORT), rows(data_dir, TOTALS)
    build(data_dir, tmp_path, full_refresh=True)
    assert rows(data_dir, TOTALS) == incremental_totals
    assert rows(data_dir, REPORT) == incremental_report
