"""Each person record's cluster is kept; a daily build clusters again only the components an edge or
a record joined or left (macros/person_reclustering.sql).

On a copy of the small world after its first run, dbt builds int_person_records_clustered again,
incrementally, after each change made by hand to its two inputs (int_person_records_unioned and
int_person_record_edges, as identity's earlier models would write them):

1. nothing has changed: no record is clustered again (a row altered by hand stays as it is);
2. an edge joins a record of one person to a record of another: the records of those two people,
   and only they, are clustered again, into one person anchored on the smallest of their keys;
3. the edge is taken away: the records of that person are clustered again, and the two people are
   as they were;
4. a new record arrives, linked to a record of a third person: it and that person's records are
   clustered again, and it joins the person;
5. a record of a person with several records is dropped, with its edges: the person's other records
   are clustered again, and its row is gone;
6. a link rule's strength changes: every record is clustered again.

The expected records and people are worked out from the table before each build, and after each
build the whole table is compared with a full refresh on the same inputs, an independent route:
equal row for row (the altered row aside).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from .kept_rows import build_model, connect, keys_of_newest_build

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

CLUSTERED = "intermediate.int_person_records_clustered"
RECORDS = "intermediate.int_person_records_unioned"
EDGES = "intermediate.int_person_record_edges"
CLUSTER = "record_key, person_id, person_anchor_record_key, link_rule, edge_signature"


def clusters(data_dir: Path) -> Counter:
    """The table's rows (without the build's timestamp)."""
    with connect(data_dir) as con:
        return Counter(con.execute(f"select {CLUSTER} from {CLUSTERED}").fetchall())


def person_of(data_dir: Path, record_key: str) -> str:
    with connect(data_dir) as con:
        return con.execute(
            f"select person_id from {CLUSTERED} where record_key = ?", [record_key]
        ).fetchall()[0][0]


def records_of(data_dir: Path, *person_ids: str) -> set[str]:
    with connect(data_dir) as con:
        rows = con.execute(
            f"select record_key from {CLUSTERED} where list_contains(?, person_id)", [list(person_ids)]
        )
        return {key for (key,) in rows.fetchall()}


def matches_full_refresh(data_dir: Path, work_dir: Path, altered: tuple | None = None) -> None:
    incremental = clusters(data_dir)
    build_model(data_dir, work_dir, CLUSTERED, full_refresh=True)
    rebuilt = clusters(data_dir)
    if altered is not None:
        (true_row,) = [row for row in rebuilt if row[0] == altered[0]]
        incremental = incremental - Counter([altered]) + Counter([true_row])
    assert incremental == rebuilt


def persons_with_records(data_dir: Path, at_least: int) -> list[str]:
    """People with at least ``at_least`` records, in the order of their id."""
    with connect(data_dir) as con:
        rows = con.execute(
            f"select person_id from {CLUSTERED} group by person_id having count(*) >= ? order by person_id",
            [at_least],
        )
        return [person_id for (person_id,) in rows.fetchall()]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("person-reclustering"))


def test_only_the_components_that_changed_are_clustered_again(data_dir: Path, tmp_path: Path) -> None:
    build_model(data_dir, tmp_path, CLUSTERED, full_refresh=True)
    first = clusters(data_dir)
    multi = persons_with_records(data_dir, 2)
    assert len(multi) >= 5
    person_a, person_b, person_c, person_d = multi[:4]
    # A row of a fifth person, altered by hand: kept by every build that does not cluster it again.
    with connect(data_dir) as con:
        (altered_key,) = con.execute(
            f"select min(record_key) from {CLUSTERED} where person_id = ?", [multi[4]]
        ).fetchall()[0]
        con.execute(
            f"update {CLUSTERED} set link_rule = 'altered by hand' where record_key = ?", [altered_key]
        )
        (altered,) = con.execute(
            f"select {CLUSTER} from {CLUSTERED} where record_key = ?", [altered_key]
        ).fetchall()

    # 1. Nothing has changed.
    build_model(data_dir, tmp_path, CLUSTERED)
    assert keys_of_newest_build(data_dir, CLUSTERED, "record_key") == set()
    assert altered in clusters(data_dir)

    # 2. An edge joins a record of A to a record of B: A's and B's records are clustered again, as one
    # person anchored on the smallest key of the two.
    records_ab = records_of(data_dir, person_a, person_b)
    record_a, record_b = min(records_of(data_dir, person_a)), max(records_of(data_dir, person_b))
    with connect(data_dir) as con:
        con.execute(f"insert into {EDGES} values (?, ?, 'same_email')", [record_a, record_b])
    build_model(data_dir, tmp_path, CLUSTERED)
    assert keys_of_newest_build(data_dir, CLUSTERED, "record_key") == records_ab
    joined = person_of(data_dir, record_a)
    assert records_of(data_dir, joined) == records_ab
    with connect(data_dir) as con:
        (anchors,) = con.execute(
            f"select list(distinct person_anchor_record_key) from {CLUSTERED} where person_id = ?", [joined]
        ).fetchall()[0]
    assert anchors == [min(records_ab)]
    assert altered in clusters(data_dir)
    matches_full_refresh(data_dir, tmp_path, altered)

    # 3. The edge is taken away: the joined person's records are clustered again, and A and B are
    # as they were.
    with connect(data_dir) as con:
        con.execute(
            f"delete from {EDGES} where from_record_key = ? and to_record_key = ?", [record_a, record_b]
        )
    build_model(data_dir, tmp_path, CLUSTERED)
    assert keys_of_newest_build(data_dir, CLUSTERED, "record_key") == records_ab
    assert clusters(data_dir) == first

    # 4. A new record, linked to a record of C: it and C's records are clustered again; it joins C
    # (its key sorts after every key, so C's anchor stays).
    records_c = records_of(data_dir, person_c)
    new_key = "web:visitor:~new"
    with connect(data_dir) as con:
        con.execute(
            f"insert into {RECORDS} by name select ? as record_key, 'web' as source_system, "
            "'visitor' as source_object, '~new' as source_record_id",
            [new_key],
        )
        con.execute(f"insert into {EDGES} values (?, ?, 'same_email')", [new_key, min(records_c)])
    build_model(data_dir, tmp_path, CLUSTERED)
    assert keys_of_newest_build(data_dir, CLUSTERED, "record_key") == records_c | {new_key}
    assert person_of(data_dir, new_key) == person_c
    assert records_of(data_dir, person_c) == records_c | {new_key}
    matches_full_refresh(data_dir, tmp_path)

    # 5. A record of D is dropped with its edges: D's other records are clustered again.
    records_d = records_of(data_dir, person_d)
    dropped = max(records_d)
    with connect(data_dir) as con:
        con.execute(f"delete from {RECORDS} where record_key = ?", [dropped])
        con.execute(f"delete from {EDGES} where ? in (from_record_key, to_record_key)", [dropped])
    build_model(data_dir, tmp_path, CLUSTERED)
    assert keys_of_newest_build(data_dir, CLUSTERED, "record_key") == records_d - {dropped}
    with connect(data_dir) as con:
        assert con.execute(
            f"select count(*) from {CLUSTERED} where record_key = ?", [dropped]
        ).fetchall() == [(0,)]
    matches_full_refresh(data_dir, tmp_path)

    # 6. A link rule's strength changes: everyone is clustered again.
    with connect(data_dir) as con:
        con.execute(
            "update reference.identity_link_rules set strength = strength + 100 where rule = 'same_email'"
        )
        (before,) = con.execute(f"select max(refreshed_at) from {CLUSTERED}").fetchall()[0]
    build_model(data_dir, tmp_path, CLUSTERED)
    with connect(data_dir) as con:
        (kept,) = con.execute(
            f"select count(*) from {CLUSTERED} where refreshed_at <= ?", [before]
        ).fetchall()[0]
    assert kept == 0
    matches_full_refresh(data_dir, tmp_path)
