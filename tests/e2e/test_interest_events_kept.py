"""Each scored event's capped interest points are kept; a daily build caps again only the people
whose points can have changed (macros/interest_events_kept.sql), and the decay is applied when
int_interest_events_decayed (a view) is read.

On a copy of the small world after its first run, one row of int_interest_events_capped is altered
by hand (its points before decay), and dbt builds the table again, incrementally:

1. nothing has changed: every row is kept, the altered one with it;
2. one of the altered person's records has a new identity version (as identity resolution writes
   when it moves a record): that person is capped again (the altered row is put right), while a row
   altered of another person is kept;
3. a person leaves model 'emea''s scored people and another joins it (their rows of
   int_scoring_model_persons, as a changed country would rebuild it): both are capped again, and
   only they, the leaver's 'emea' rows gone, the joiner's there; equal to a full refresh;
4. the scoring date moves back a day (the `as_of` var, to re-score history): everyone is capped
   again, equal to a full refresh as of that day;
5. the scoring date moves forward to the last day again: the people with an activity on that day
   are capped again (they alone), the events the lookback left behind are deleted, and the table is
   the first run's again;
6. the points of a rule change (its row of the interest_rules seed, as a new seed would load it):
   everyone is capped again, equal to a full refresh; then the rule is put back.

A full refresh as of the same day on the same warehouse is the independent route each result is
compared with, row for row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from .cli import dbt
from .kept_rows import add_identity_version, connect, keys_of_newest_build, remove_identity_versions_after

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

CAPPED = "intermediate.int_interest_events_capped"
MODEL_PERSONS = "intermediate.int_scoring_model_persons"
# Points are floats: compare them to 9 places.
KEPT = (
    "person_id, model_id, activity_id, event_type, activity_at, activity_date,"
    " round(cap_factor, 9), round(points_before_decay, 9), interest_lookback_days"
)


def kept_rows(data_dir: Path) -> Counter:
    """The table's rows without the build's watermarks."""
    with connect(data_dir) as con:
        return Counter(con.execute(f"select {KEPT} from {CAPPED}").fetchall())


def persons_of_newest_build(data_dir: Path) -> set[str]:
    """The people whose rows the newest build wrote (none when every row has one refreshed_at)."""
    return keys_of_newest_build(data_dir, CAPPED, "person_id")


def alter_one_row(data_dir: Path, last: bool = False) -> tuple:
    """Adds 1000 to the points of the first event row (the last with ``last``) in the order of its
    key; returns it as it now is."""
    with connect(data_dir) as con:
        key = con.execute(
            f"select person_id, model_id, activity_id from {CAPPED} where activity_id is not null "
            f"order by all {'desc' if last else ''} limit 1"
        ).fetchall()[0]
        where = "person_id = ? and model_id = ? and activity_id = ?"
        con.execute(
            f"update {CAPPED} set points_before_decay = points_before_decay + 1000 where {where}", list(key)
        )
        (row,) = con.execute(f"select {KEPT} from {CAPPED} where {where}", list(key)).fetchall()
    return row


def true_row(altered: tuple) -> tuple:
    return (*altered[:7], round(altered[7] - 1000, 9), altered[8])


def build(data_dir: Path, work_dir: Path, as_of: date | None = None, full_refresh: bool = False) -> None:
    as_of_var = ("--vars", f'{{"as_of": "{as_of.isoformat()}"}}') if as_of else ()
    refresh = ("--full-refresh",) if full_refresh else ()
    dbt(
        data_dir, work_dir, "run", *refresh, *as_of_var, "--select", "int_scoring_as_of", CAPPED.split(".")[1]
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("interest-events-kept"))


def test_capped_points_are_computed_again_only_for_the_people_that_changed(
    data_dir: Path, tmp_path: Path
) -> None:
    with connect(data_dir) as con:
        (last_day,) = con.execute("select as_of_date from intermediate.int_scoring_as_of").fetchall()[0]
    first = kept_rows(data_dir)
    assert any(row[2] is None for row in first) and any(row[2] is not None for row in first)
    altered = alter_one_row(data_dir)
    altered_person = altered[0]
    assert first[true_row(altered)] == 1

    # 1. Nothing has changed: nothing is capped again.
    build(data_dir, tmp_path)
    assert kept_rows(data_dir) == first - Counter([true_row(altered)]) + Counter([altered])
    assert persons_of_newest_build(data_dir) == set()

    # 2. A new version of one of the altered person's records: that person is capped again; another
    # person's altered row is kept.
    other = alter_one_row(data_dir, last=True)
    assert other[0] != altered_person
    watermark = add_identity_version(data_dir, CAPPED, altered_person)
    build(data_dir, tmp_path)
    assert persons_of_newest_build(data_dir) == {altered_person}
    assert kept_rows(data_dir) == first - Counter([true_row(other)]) + Counter([other])
    remove_identity_versions_after(data_dir, watermark)
    build(data_dir, tmp_path, full_refresh=True)
    assert kept_rows(data_dir) == first

    # 3. One person leaves model 'emea', another joins it: both are capped again, and only they.
    with connect(data_dir) as con:
        (leaver,) = con.execute(
            f"select person_id from {CAPPED} where model_id = 'emea' and activity_id is not null "
            "order by person_id limit 1"
        ).fetchall()[0]
        (joiner,) = con.execute(
            f"select person_id from {CAPPED} where model_id = 'core' and activity_id is not null "
            f"and person_id not in (select person_id from {MODEL_PERSONS} where model_id = 'emea') "
            "order by person_id limit 1"
        ).fetchall()[0]
        con.execute(f"delete from {MODEL_PERSONS} where model_id = 'emea' and person_id = ?", [leaver])
        con.execute(
            f"insert into {MODEL_PERSONS} (person_id, model_id, rule_version) "
            "select person_id, 'emea', (select rule_version from "
            "reference.scoring_models where model_id = 'emea') "
            f"from {MODEL_PERSONS} where model_id = 'core' and person_id = ?",
            [joiner],
        )
    build(data_dir, tmp_path)
    assert persons_of_newest_build(data_dir) == {leaver, joiner}
    moved = kept_rows(data_dir)
    assert not any(row[0] == leaver and row[1] == "emea" for row in moved)
    assert any(row[0] == joiner and row[1] == "emea" and row[2] is not None for row in moved)
    build(data_dir, tmp_path, full_refresh=True)
    assert kept_rows(data_dir) == moved

    # 4. The scoring date moves back a day: everyone is capped again, as a full refresh caps.
    day_before = last_day - timedelta(days=1)
    altered = alter_one_row(data_dir)
    build(data_dir, tmp_path, as_of=day_before)
    incremental = kept_rows(data_dir)
    assert altered not in incremental
    with connect(data_dir) as con:
        (tags,) = con.execute(f"select list(distinct as_of_date) from {CAPPED}").fetchall()[0]
    assert tags == [day_before]
    build(data_dir, tmp_path, as_of=day_before, full_refresh=True)
    assert incremental == kept_rows(data_dir)
    assert incremental != moved  # the last day's events are not counted

    # 5. Forward to the last day again: the people with an activity on that day are capped again,
    # and they alone; the events a day too old now are deleted; the table is as before step 4.
    with connect(data_dir) as con:
        active_on_last_day = {
            person_id
            for (person_id,) in con.execute(
                "select distinct person_id from intermediate.int_activities_resolved "
                "where activity_date = ? and person_id is not null",
                [last_day],
            ).fetchall()
        }
        (aged_out,) = con.execute(
            f"select count(*) from {CAPPED} where activity_id is not null "
            "and date_diff('day', activity_date, ?) >= interest_lookback_days",
            [last_day],
        ).fetchall()[0]
    assert active_on_last_day
    assert aged_out > 0, "the small world should have events the lookback leaves behind on its last day"
    build(data_dir, tmp_path)
    assert persons_of_newest_build(data_dir) == active_on_last_day & {row[0] for row in moved}
    assert kept_rows(data_dir) == moved

    # 6. A rule earns twice the points: everyone is capped again, as a full refresh caps; then the
    # rule is put back.
    altered = alter_one_row(data_dir)
    web_visits = "model_id = 'core' and event_type = 'web_visit'"
    with connect(data_dir) as con:
        (points,) = con.execute(f"select points from reference.interest_rules where {web_visits}").fetchall()[
            0
        ]
        con.execute(f"update reference.interest_rules set points = ? where {web_visits}", [points * 2])
    build(data_dir, tmp_path)
    doubled = kept_rows(data_dir)
    assert altered not in doubled
    assert doubled != moved
    build(data_dir, tmp_path, full_refresh=True)
    assert kept_rows(data_dir) == doubled
    with connect(data_dir) as con:
        con.execute(f"update reference.interest_rules set points = ? where {web_visits}", [points])
    build(data_dir, tmp_path)
    assert kept_rows(data_dir) == moved
