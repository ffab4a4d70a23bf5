"""Each person's golden record is kept; a daily build computes again only the people whose records
or title class changed (macros/person_golden_refresh.sql).

On a copy of the small world after its first run, dbt builds int_person_golden_records again,
incrementally, after each change made by hand to its inputs (int_person_records_unioned,
int_person_records_clustered and int_titles_classified, as identity's earlier models would write
them):

1. nothing has changed: no person is computed again (a row altered by hand stays as it is);
2. every record of person A gets a new title: A, and only A, is computed again, with that title;
3. a record moves from person B to person C: B and C are computed again, with the record counted
   at C and no longer at B;
4. every record of person D moves to C: D's row is gone, C is computed again;
5. the class of E's title changes: every person with that title, and only they, is computed again,
   with the new seniority.

The expected people and values are worked out from the tables before each build, and after each
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

GOLDEN = "intermediate.int_person_golden_records"
RECORDS = "intermediate.int_person_records_unioned"
CLUSTERED = "intermediate.int_person_records_clustered"
TITLES = "intermediate.int_titles_classified"
SOURCE_COUNTS = {
    ("crm", "contact"): "crm_contact_records",
    ("crm", "lead"): "crm_lead_records",
    ("map", "lead"): "map_lead_records",
    ("web", "visitor"): "web_visitor_records",
}
ALTERED_COMPANY = "altered by hand"


def golden_rows(data_dir: Path) -> Counter:
    """The table's rows (without the build's timestamp), person_id first."""
    with connect(data_dir) as con:
        return Counter(
            con.execute(f"select person_id, * exclude (person_id, refreshed_at) from {GOLDEN}").fetchall()
        )


def golden_of(data_dir: Path, person_id: str) -> dict:
    with connect(data_dir) as con:
        cursor = con.execute(f"select * from {GOLDEN} where person_id = ?", [person_id])
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1, f"{person_id} has {len(rows)} golden rows"
    return dict(zip(names, rows[0], strict=True))


def records_of(data_dir: Path, person_id: str) -> list[tuple[str, str, str]]:
    """The person's records: record key, source system and source object, by key."""
    with connect(data_dir) as con:
        return con.execute(
            "select records.record_key, records.source_system, records.source_object "
            f"from {RECORDS} as records "
            f"inner join {CLUSTERED} as clustered on records.record_key = clustered.record_key "
            "where clustered.person_id = ? order by records.record_key",
            [person_id],
        ).fetchall()


def matches_full_refresh(data_dir: Path, work_dir: Path, altered: tuple) -> None:
    incremental = golden_rows(data_dir)
    build_model(data_dir, work_dir, GOLDEN, full_refresh=True)
    rebuilt = golden_rows(data_dir)
    (true_row,) = [row for row in rebuilt if row[0] == altered[0]]
    assert incremental - Counter([altered]) + Counter([true_row]) == rebuilt
    # The next build keeps the altered row again, as the earlier ones did.
    with connect(data_dir) as con:
        con.execute(
            f"update {GOLDEN} set company_name = ? where person_id = ?", [ALTERED_COMPANY, altered[0]]
        )


def persons_with_records(data_dir: Path, at_least: int) -> list[str]:
    """People with at least ``at_least`` records, a title and a department, in the order of their id."""
    with connect(data_dir) as con:
        rows = con.execute(
            f"select person_id from {GOLDEN} "
            "where crm_contact_records + crm_lead_records + map_lead_records + web_visitor_records >= ? "
            "and title is not null and department is not null order by person_id",
            [at_least],
        )
        return [person_id for (person_id,) in rows.fetchall()]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("person-golden-refresh"))


def test_only_the_people_whose_records_or_title_class_changed_are_computed_again(
    data_dir: Path, tmp_path: Path
) -> None:
    build_model(data_dir, tmp_path, GOLDEN, full_refresh=True)
    multi = persons_with_records(data_dir, 2)
    assert len(multi) >= 6
    person_x, person_a, person_b, person_c, person_d = multi[:5]
    # E: a person whose title is not the altered person's, so that step 5 keeps the altered row.
    title_x = golden_of(data_dir, person_x)["title"].strip().lower()
    person_e = next(p for p in multi[5:] if golden_of(data_dir, p)["title"].strip().lower() != title_x)
    # A row of a sixth person, altered by hand: kept by every build that does not compute it again.
    with connect(data_dir) as con:
        con.execute(f"update {GOLDEN} set company_name = ? where person_id = ?", [ALTERED_COMPANY, person_x])
    (altered,) = [row for row in golden_rows(data_dir) if row[0] == person_x]

    # 1. Nothing has changed.
    build_model(data_dir, tmp_path, GOLDEN)
    assert keys_of_newest_build(data_dir, GOLDEN, "person_id") == set()
    assert altered in golden_rows(data_dir)

    # 2. Every record of A gets a new title: only A is computed again, and every record has the title.
    new_title = "Keeper of Golden Records"
    with connect(data_dir) as con:
        con.execute(
            f"update {RECORDS} set title = ? where record_key in "
            f"(select record_key from {CLUSTERED} where person_id = ?)",
            [new_title, person_a],
        )
    build_model(data_dir, tmp_path, GOLDEN)
    assert keys_of_newest_build(data_dir, GOLDEN, "person_id") == {person_a}
    assert golden_of(data_dir, person_a)["title"] == new_title
    assert altered in golden_rows(data_dir)
    matches_full_refresh(data_dir, tmp_path, altered)

    # 3. A record moves from B to C: B and C are computed again; the record counts at C, not at B.
    before_b, before_c = golden_of(data_dir, person_b), golden_of(data_dir, person_c)
    moved_key, system, source_object = records_of(data_dir, person_b)[-1]
    count_column = SOURCE_COUNTS[(system, source_object)]
    with connect(data_dir) as con:
        con.execute(f"update {CLUSTERED} set person_id = ? where record_key = ?", [person_c, moved_key])
    build_model(data_dir, tmp_path, GOLDEN)
    assert keys_of_newest_build(data_dir, GOLDEN, "person_id") == {person_b, person_c}
    assert golden_of(data_dir, person_b)[count_column] == before_b[count_column] - 1
    assert golden_of(data_dir, person_c)[count_column] == before_c[count_column] + 1
    matches_full_refresh(data_dir, tmp_path, altered)

    # 4. Every record of D moves to C: D's row is gone, C is computed again with D's records counted.
    before_c, before_d = golden_of(data_dir, person_c), golden_of(data_dir, person_d)
    with connect(data_dir) as con:
        con.execute(f"update {CLUSTERED} set person_id = ? where person_id = ?", [person_c, person_d])
    build_model(data_dir, tmp_path, GOLDEN)
    assert keys_of_newest_build(data_dir, GOLDEN, "person_id") == {person_c}
    with connect(data_dir) as con:
        assert con.execute(f"select count(*) from {GOLDEN} where person_id = ?", [person_d]).fetchall() == [
            (0,)
        ]
    after_c = golden_of(data_dir, person_c)
    for column in SOURCE_COUNTS.values():
        assert after_c[column] == before_c[column] + before_d[column]
    matches_full_refresh(data_dir, tmp_path, altered)

    # 5. E's title's class changes: everyone with that title, and only they, is computed again.
    title_e = golden_of(data_dir, person_e)["title"]
    with connect(data_dir) as con:
        with_title = {
            person_id
            for (person_id,) in con.execute(
                f"select person_id from {GOLDEN} where lower(trim(title)) = lower(trim(?))", [title_e]
            ).fetchall()
        }
        con.execute(
            f"update {TITLES} set seniority = 'reclassified by hand' where title_key = lower(trim(?))",
            [title_e],
        )
    build_model(data_dir, tmp_path, GOLDEN)
    assert keys_of_newest_build(data_dir, GOLDEN, "person_id") == with_title
    assert person_e in with_title
    assert golden_of(data_dir, person_e)["seniority"] == "reclassified by hand"
    assert altered in golden_rows(data_dir)
    matches_full_refresh(data_dir, tmp_path, altered)
