"""Each account's latest touches are kept; a daily build ranks again only the accounts whose latest
touches can have changed (macros/account_recent_touches.sql).

On a copy of the small world after its first run, one kept row of an account X is altered by hand
(its channel), and dbt builds int_account_recent_touches again, incrementally (with the touches
per week it reads, int_account_person_week_touches), after each change made by hand to the
activities as int_activities_resolved would write them (a new resolved_at):

1. nothing has changed: no account is ranked again, and the altered row is kept;
2. an older activity of account A becomes its newest: A, and only A, is ranked again, with that
   activity first;
3. one of account B's latest touches moves to account C: B and C are ranked again, and B's latest
   touches no longer hold it;
4. an activity of account D older than every touch D keeps moves to C: only C is ranked again; D
   keeps its rows, which are still its latest;
5. the scoring date moves back a day (the `as_of` var): every account is ranked again;
6. forward to the last day again: the accounts with a touch on that day are ranked again, and only
   they;
7. var recent_engagements_per_account is 5: every account is ranked again, keeping 5.

The expected accounts are worked out from the tables before each build, and after each build the
whole table is compared with a full refresh on the same inputs, an independent route: equal row for
row (the altered row aside).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from .cli import dbt
from .kept_rows import connect, keys_of_newest_build

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

RECENT = "intermediate.int_account_recent_touches"
RESOLVED = "intermediate.int_activities_resolved"
# The touches and their ranks; the build's watermarks and timestamp left out.
RANKED = "* exclude (recency_limit, resolved_through, as_of_date, refreshed_at)"
ALTERED_CHANNEL = "altered by hand"


def ranked_rows(data_dir: Path) -> Counter:
    with connect(data_dir) as con:
        return Counter(con.execute(f"select {RANKED} from {RECENT}").fetchall())


def build(data_dir: Path, work_dir: Path, full_refresh: bool = False, **variables: object) -> None:
    """Builds the scoring date, the touches per week and the latest touches, incrementally unless
    told, with ``variables`` as dbt vars."""
    refresh = ("--full-refresh",) if full_refresh else ()
    as_vars = ("--vars", json.dumps(variables, default=str)) if variables else ()
    models = ("int_scoring_as_of", "int_account_person_week_touches", "int_account_recent_touches")
    dbt(data_dir, work_dir, "run", *refresh, *as_vars, "--select", *models)


def alter(data_dir: Path, account_id: str) -> tuple:
    """Alters the channel of the account's latest touch; returns the row as it now is."""
    with connect(data_dir) as con:
        con.execute(
            f"update {RECENT} set channel = ? where account_id = ? and recency_rank = 1",
            [ALTERED_CHANNEL, account_id],
        )
        (row,) = con.execute(
            f"select {RANKED} from {RECENT} where account_id = ? and recency_rank = 1", [account_id]
        ).fetchall()
    return row


def matches_full_refresh(data_dir: Path, work_dir: Path, altered: tuple | None, **variables: object) -> None:
    """The table equals a full refresh on the same inputs, the altered row (when kept) aside; then the
    row is altered again, for the next builds to keep."""
    incremental = ranked_rows(data_dir)
    build(data_dir, work_dir, full_refresh=True, **variables)
    rebuilt = ranked_rows(data_dir)
    if altered is not None:
        assert altered in incremental
        account_id = altered[0]
        (true_row,) = [row for row in rebuilt if row[0] == account_id and row[-1] == 1]
        incremental = incremental - Counter([altered]) + Counter([true_row])
    assert incremental == rebuilt
    if altered is not None:
        alter(data_dir, altered[0])


def later_than_every_build(data_dir: Path) -> datetime:
    """A resolved_at after every activity resolved and every ranking: as a newer build would write it."""
    with connect(data_dir) as con:
        (newest,) = con.execute(f"select max(resolved_at) from {RESOLVED}").fetchall()[0]
    return newest + timedelta(seconds=1)


def kept_activities(data_dir: Path, account_id: str) -> list[tuple[str, datetime]]:
    """The touches kept for the account, by rank: activity id and time."""
    with connect(data_dir) as con:
        return con.execute(
            f"select activity_id, activity_at from {RECENT} where account_id = ? order by recency_rank",
            [account_id],
        ).fetchall()


def older_activity(data_dir: Path, account_id: str) -> str:
    """An activity of the account (fct_activities) older than every touch it keeps."""
    oldest_kept = kept_activities(data_dir, account_id)[-1][1]
    with connect(data_dir) as con:
        (activity_id,) = con.execute(
            "select min(activity_id) from marts.fct_activities where account_id = ? and activity_at < ?",
            [account_id, oldest_kept],
        ).fetchall()[0]
    assert activity_id is not None
    return activity_id


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("account-recent-touches"))


def test_only_the_accounts_whose_latest_touches_can_have_changed_are_ranked_again(
    data_dir: Path, tmp_path: Path
) -> None:
    build(data_dir, tmp_path, full_refresh=True)
    with connect(data_dir) as con:
        (last_day,) = con.execute("select as_of_date from intermediate.int_scoring_as_of").fetchall()[0]
        (limit,) = con.execute(f"select max(recency_rank) from {RECENT}").fetchall()[0]
        # Accounts with more activities than they keep, each touch well before the scoring date's
        # day (so that step 6 finds none of them), in the order of their id.
        full = [
            account_id
            for (account_id,) in con.execute(
                "select account_id from marts.fct_activities where activity_date <= ? "
                "group by account_id having count(*) > ? and max(activity_date) < ? order by account_id",
                [last_day, limit + 2, last_day - timedelta(days=2)],
            ).fetchall()
        ]
    assert limit == 20
    assert len(full) >= 5
    account_x, account_a, account_b, account_c, account_d = full[:5]
    altered = alter(data_dir, account_x)

    # 1. Nothing has changed.
    build(data_dir, tmp_path)
    assert keys_of_newest_build(data_dir, RECENT, "account_id") == set()
    assert altered in ranked_rows(data_dir)

    # 2. An older activity of A becomes its newest: only A is ranked again, with it first.
    activity = older_activity(data_dir, account_a)
    newest_at = kept_activities(data_dir, account_a)[0][1] + timedelta(microseconds=1)
    assert newest_at.date() < last_day
    with connect(data_dir) as con:
        con.execute(
            f"update {RESOLVED} set activity_at = ?, activity_date = ?, resolved_at = ? "
            "where activity_id = ?",
            [newest_at, newest_at.date(), later_than_every_build(data_dir), activity],
        )
    build(data_dir, tmp_path)
    assert keys_of_newest_build(data_dir, RECENT, "account_id") == {account_a}
    assert kept_activities(data_dir, account_a)[0] == (activity, newest_at)
    matches_full_refresh(data_dir, tmp_path, altered)

    # 3. One of B's latest touches moves to C: B and C are ranked again; B no longer holds it.
    moved = kept_activities(data_dir, account_b)[0][0]
    with connect(data_dir) as con:
        con.execute(
            f"update {RESOLVED} set account_id = ?, resolved_at = ? where activity_id = ?",
            [account_c, later_than_every_build(data_dir), moved],
        )
    build(data_dir, tmp_path)
    assert keys_of_newest_build(data_dir, RECENT, "account_id") == {account_b, account_c}
    assert moved not in {activity_id for activity_id, _ in kept_activities(data_dir, account_b)}
    assert len(kept_activities(data_dir, account_b)) == limit
    matches_full_refresh(data_dir, tmp_path, altered)

    # 4. An activity of D older than its kept touches moves to C: only C is ranked again.
    kept_d = kept_activities(data_dir, account_d)
    moved = older_activity(data_dir, account_d)
    with connect(data_dir) as con:
        con.execute(
            f"update {RESOLVED} set account_id = ?, resolved_at = ? where activity_id = ?",
            [account_c, later_than_every_build(data_dir), moved],
        )
    build(data_dir, tmp_path)
    assert keys_of_newest_build(data_dir, RECENT, "account_id") == {account_c}
    assert kept_activities(data_dir, account_d) == kept_d
    matches_full_refresh(data_dir, tmp_path, altered)

    # 5. The scoring date moves back a day: every account is ranked again, as of that day.
    day_before: date = last_day - timedelta(days=1)
    build(data_dir, tmp_path, as_of=day_before)
    with connect(data_dir) as con:
        assert con.execute(
            f"select list(distinct as_of_date), count(distinct refreshed_at) from {RECENT}"
        ).fetchall() == [([day_before], 1)]
    matches_full_refresh(data_dir, tmp_path, None, as_of=day_before)
    altered = alter(data_dir, account_x)

    # 6. Forward to the last day again: the accounts with a touch on that day are ranked again, and
    # they alone (any resolved activity of the day names its account; those whose touches up to the
    # day are in fct_activities get rows).
    with connect(data_dir) as con:
        touched_on_last_day = {
            account_id
            for (account_id,) in con.execute(
                f"select distinct account_id from {RESOLVED} "
                "where activity_date = ? and account_id is not null "
                "intersect select distinct account_id from marts.fct_activities where activity_date <= ?",
                [last_day, last_day],
            ).fetchall()
        }
    assert touched_on_last_day
    assert account_x not in touched_on_last_day
    build(data_dir, tmp_path)
    assert keys_of_newest_build(data_dir, RECENT, "account_id") == touched_on_last_day
    matches_full_refresh(data_dir, tmp_path, altered)

    # 7. Five touches per account: every account is ranked again, keeping five; then twenty again.
    build(data_dir, tmp_path, recent_engagements_per_account=5)
    with connect(data_dir) as con:
        assert con.execute(
            f"select max(recency_rank), count(distinct refreshed_at) from {RECENT}"
        ).fetchall() == [(5, 1)]
    matches_full_refresh(data_dir, tmp_path, None, recent_engagements_per_account=5)
    build(data_dir, tmp_path)
    with connect(data_dir) as con:
        assert con.execute(
            f"select max(recency_rank), count(distinct refreshed_at) from {RECENT}"
        ).fetchall() == [(limit, 1)]
    matches_full_refresh(data_dir, tmp_path, None)
