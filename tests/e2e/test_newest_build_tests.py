"""The data tests of an incremental table read what its newest build wrote
(macros/newest_build.sql, the `__newest_build__(marker[, key])` where config).

On a copy of the small world after its first run, rows are added by hand to
int_activities_resolved, whose builds stamp every row they write with `resolved_at`:

1. after the full build, every row carries one `resolved_at`: the tests read the whole table, and a
   repeated activity id anywhere is found;
2. a newer "build" repeats an activity id an older row has: `unique` finds it (the key's old rows
   are read with the new one), and a copy pointing nowhere, stamped newest, fails `relationships`;
3. the same faults stamped by an older build, once a newer one exists, are not read again: they
   were tested when that build ran.

And `dbt compile` still works on an empty warehouse, where there is no marker to read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from .cli import dbt_result

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

RESOLVED = "intermediate.int_activities_resolved"
UNIQUE = "unique_int_activities_resolved_activity_id"
COPY_OF = (
    "relationships_int_activities_resolved_copy_of_activity_id__activity_id__ref_int_activities_resolved_"
)


def dbt_on_data_tests(command: str, warehouse: Path, work_dir: Path):
    """`dbt <command>` of int_activities_resolved's data tests on ``warehouse``; dbt's result."""
    return dbt_result(warehouse, work_dir, command, "--select", "int_activities_resolved,test_type:data")


def failed_tests(data_dir: Path, work_dir: Path) -> dict[str, int]:
    """`dbt test` of int_activities_resolved's data tests: the failing ones, each with its number of
    failing rows."""
    result = dbt_on_data_tests("test", data_dir / "warehouse.duckdb", work_dir)
    assert result.result, f"dbt test did not run: {result.exception}"
    statuses = {r.node.unique_id.split(".")[2]: (str(r.status), r.failures) for r in result.result}
    assert UNIQUE in statuses and COPY_OF in statuses, sorted(statuses)
    assert all(status in ("pass", "fail") for status, _ in statuses.values()), statuses
    return {name: failures for name, (status, failures) in statuses.items() if status == "fail"}


def add_rows(data_dir: Path, select: str, parameters: list) -> None:
    """Inserts into int_activities_resolved the rows of ``select`` (columns of the table, by name)."""
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(f"insert into {RESOLVED} by name {select}", parameters)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("newest-build-tests"))


def test_data_tests_read_the_newest_build_of_an_incremental_table(data_dir: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        [(built_at, first_id, last_id)] = con.execute(
            f"select list(distinct resolved_at), min(activity_id), max(activity_id) from {RESOLVED}"
        ).fetchall()
    assert len(built_at) == 1, "the first run's rows all carry its start"
    full_build = built_at[0]
    assert failed_tests(data_dir, tmp_path) == {}

    # 1. One build: a repeated id, stamped like every other row, is found.
    copy_of_first = f"select * from {RESOLVED} where activity_id = ?"
    add_rows(data_dir, copy_of_first, [first_id])
    assert failed_tests(data_dir, tmp_path) == {UNIQUE: 1}

    # 2. A newer build repeats the last id (its old row is read with the new one) and writes a copy
    # of an activity that does not exist.
    newer = full_build + timedelta(days=1)
    add_rows(
        data_dir,
        f"select * replace (cast(? as timestamp) as resolved_at) from {RESOLVED} "
        "where activity_id = ? limit 1",
        [newer, last_id],
    )
    add_rows(
        data_dir,
        f"select * replace ('no-such-activity' as copy_of_activity_id, cast(? as timestamp) as resolved_at, "
        f"'copy-of-nothing' as activity_id) from {RESOLVED} where copy_rule is not null limit 1",
        [newer],
    )
    assert failed_tests(data_dir, tmp_path) == {UNIQUE: 1, COPY_OF: 1}

    # 3. The first id's repeat and the dangling copy now belong to older builds: the newest build's
    # rows (one more, with nothing wrong: an activity of its own) are all that is tested.
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(f"delete from {RESOLVED} where activity_id = ? and resolved_at = ?", [last_id, newer])
    newest = newer + timedelta(days=1)
    add_rows(
        data_dir,
        f"select * replace (cast(? as timestamp) as resolved_at, 'a-new-activity' as activity_id) "
        f"from {RESOLVED} where activity_id = ?",
        [newest, last_id],
    )
    assert failed_tests(data_dir, tmp_path) == {}


def test_the_tests_compile_before_their_table_is_built(tmp_path: Path) -> None:
    """`dbt compile` on an empty warehouse: the marker's range cannot be read, the test is left whole."""
    result = dbt_on_data_tests("compile", tmp_path / "empty.duckdb", tmp_path)
    assert result.success, result.exception
    compiled = next((tmp_path / "target" / "compiled").rglob(f"{UNIQUE}.sql")).read_text()
    assert "int_activities_resolved" in compiled and "dbt_subquery" not in compiled
