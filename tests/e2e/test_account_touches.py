"""The touches per account, person and week are counted once and kept; a daily build counts again
only the people whose touches can have changed (macros/account_touches.sql).

On a copy of the small world after its first run, one row of int_account_person_week_touches is
altered by hand (its count of touches), and dbt builds the table again, incrementally, four times:

1. nothing has changed: every row is kept, the altered one with it;
2. one of the altered person's records has a new identity version (as identity resolution writes
   when it moves a record): that person is counted again (the altered row is put right), while a
   row altered of another person is kept;
3. the scoring date moves back a day (the `as_of` var, to re-score history): everyone is counted
   again;
4. the scoring date moves forward to the last day again: the people with an activity on that day
   are counted again, and only they;
5. the points of a rule of model 'core' change (its row of the interest_rules seed, as a new seed
   would load it): everyone is counted again, since everyone's earned points may change; then the
   rule is put back, and everyone is counted again.

After steps 3, 4 and 5 the counts (touches and earned points) are compared with a full refresh as
of the same day on the same warehouse, an independent route: equal row for row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from .cli import dbt
from .kept_rows import add_identity_version, remove_identity_versions_after

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

TOUCHES = "intermediate.int_account_person_week_touches"
# Points are summed floats: the order of the sum may differ between builds, so compare them to 6 places.
COUNTED = (
    "account_id, person_id, week_start, event_type, direction, is_engagement, touches,"
    " round(interest_points, 6)"
)


def counts(data_dir: Path) -> Counter:
    """The table's counted rows (without the build's watermarks)."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        return Counter(con.execute(f"select {COUNTED} from {TOUCHES}").fetchall())


def persons_counted_on(data_dir: Path, as_of: date) -> set[str]:
    """The people whose rows carry this scoring date (counted by a build as of it)."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        rows = con.execute(f"select distinct person_id from {TOUCHES} where as_of_date = ?", [as_of])
        return {person_id for (person_id,) in rows.fetchall()}


def alter_one_row(data_dir: Path, last: bool = False) -> tuple:
    """Adds 1000 touches to the first row (the last with ``last``) in the order of its columns;
    returns it as it now is."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        key = con.execute(
            f"select account_id, person_id, week_start, event_type, direction, is_engagement "
            f"from {TOUCHES} order by all {'desc' if last else ''} limit 1"
        ).fetchall()[0]
        where = "account_id = ? and person_id = ? and week_start = ? and event_type = ? and direction = ? "
        where += "and is_engagement = ?"
        con.execute(f"update {TOUCHES} set touches = touches + 1000 where {where}", list(key))
        (row,) = con.execute(f"select {COUNTED} from {TOUCHES} where {where}", list(key)).fetchall()
    return row


def build(data_dir: Path, work_dir: Path, as_of: date | None = None, full_refresh: bool = False) -> None:
    as_of_var = ("--vars", f'{{"as_of": "{as_of.isoformat()}"}}') if as_of else ()
    refresh = ("--full-refresh",) if full_refresh else ()
    dbt(
        data_dir,
        work_dir,
        "run",
        *refresh,
        *as_of_var,
        "--select",
        "int_scoring_as_of",
        TOUCHES.split(".")[1],
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("account-touches"))


def test_touches_are_counted_again_only_for_the_people_that_changed(data_dir: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        (last_day,) = con.execute("select as_of_date from intermediate.int_scoring_as_of").fetchall()[0]
    first = counts(data_dir)
    altered = alter_one_row(data_dir)
    altered_person = altered[1]
    true_row = (*altered[:-2], altered[-2] - 1000, altered[-1])
    assert first[true_row] == 1

    # 1. Nothing has changed: nothing is counted again.
    build(data_dir, tmp_path)
    assert counts(data_dir) == first - Counter([true_row]) + Counter([altered])

    # 2. A new version of one of the altered person's records: that person is counted again; another
    # person's altered row is kept.
    other = alter_one_row(data_dir, last=True)
    assert other[1] != altered_person
    watermark = add_identity_version(data_dir, TOUCHES, altered_person)
    build(data_dir, tmp_path)
    other_true_row = (*other[:-2], other[-2] - 1000, other[-1])
    assert counts(data_dir) == first - Counter([other_true_row]) + Counter([other])
    remove_identity_versions_after(data_dir, watermark)

    # 3. The scoring date moves back a day: everyone is counted again, as a full refresh counts.
    day_before = last_day - timedelta(days=1)
    altered = alter_one_row(data_dir)
    assert other in counts(data_dir)
    build(data_dir, tmp_path, as_of=day_before)
    incremental = counts(data_dir)
    assert altered not in incremental and other not in incremental
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        (tags,) = con.execute(f"select list(distinct as_of_date) from {TOUCHES}").fetchall()[0]
    assert tags == [day_before]
    build(data_dir, tmp_path, as_of=day_before, full_refresh=True)
    assert incremental == counts(data_dir)
    assert incremental != first  # the last day's touches are not counted

    # 4. Forward to the last day again: the people with an activity on that day are counted again
    # (and they alone), and the table is the first run's again. Any resolved activity of theirs
    # names them (also one fct_activities leaves out, such as a copy: the lookup is one scan), and
    # those with a touch of an account up to that day get rows.
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        active_on_last_day = {
            person_id
            for (person_id,) in con.execute(
                "select distinct person_id from intermediate.int_activities_resolved "
                "where activity_date = ? and person_id is not null "
                "intersect "
                "select distinct person_id from marts.fct_activities "
                "where activity_date <= ? and account_id is not null",
                [last_day, last_day],
            ).fetchall()
        }
    assert active_on_last_day
    build(data_dir, tmp_path)
    assert persons_counted_on(data_dir, last_day) == active_on_last_day
    assert counts(data_dir) == first
    build(data_dir, tmp_path, full_refresh=True)
    assert counts(data_dir) == first

    # 5. A rule of 'core' earns twice the points: everyone is counted again (the altered row is put
    # right), as a full refresh counts; then the rule is put back and everyone is counted again.
    altered = alter_one_row(data_dir)
    web_visits = "model_id = 'core' and event_type = 'web_visit'"
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        (points,) = con.execute(f"select points from reference.interest_rules where {web_visits}").fetchall()[
            0
        ]
        con.execute(f"update reference.interest_rules set points = ? where {web_visits}", [points * 2])
    build(data_dir, tmp_path)
    doubled = counts(data_dir)
    assert altered not in doubled
    assert doubled != first  # web visits earn more
    build(data_dir, tmp_path, full_refresh=True)
    assert counts(data_dir) == doubled
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(f"update reference.interest_rules set points = ? where {web_visits}", [points])
    build(data_dir, tmp_path)
    assert counts(data_dir) == first
