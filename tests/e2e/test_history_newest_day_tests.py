"""The score histories' data tests read the days the newest run wrote, not the whole history.

fct_person_score_history grows by every scored person every day; its grain test grouped all of it
on every run (on large, 6.1 s with 30 days of history against 0.3 s with 2). Each run stamps the
rows it writes with `refreshed_at`, and the grain test's where is
`__newest_build__(refreshed_at, as_of_date)`: every row of any day the newest run wrote.

On a copy of the small world after its first run, rows are added by hand:

1. after the first run every row carries one stamp: the whole history is read, and a repeated
   person-day anywhere is found;
2. a newer run writes a new day and repeats a person of it, and re-scores the old day repeating
   another person there: both are found, the old day's rows being read with the newer ones;
3. a repeat stamped by an older run, once a newer run has written another day, is not read again.

The account history's grain and not_null tests are configured the same way.
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

HISTORY = "marts.fct_person_score_history"
GRAIN = "unique_combination_of_columns_fct_person_score_history_person_id__model_id__as_of_date"


def failed_tests(data_dir: Path, work_dir: Path) -> dict[str, int]:
    """`dbt test` of fct_person_score_history's data tests: the failing ones, each with its number
    of failing rows."""
    result = dbt_result(
        data_dir / "warehouse.duckdb", work_dir, "test", "--select", "fct_person_score_history,test_type:data"
    )
    assert result.result, f"dbt test did not run: {result.exception}"
    statuses = {r.node.unique_id.split(".")[2]: (str(r.status), r.failures) for r in result.result}
    assert GRAIN in statuses, sorted(statuses)
    assert all(status in ("pass", "fail") for status, _ in statuses.values()), statuses
    return {name: failures for name, (status, failures) in statuses.items() if status == "fail"}


def execute(data_dir: Path, sql: str, parameters: list) -> None:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(sql, parameters)


def repeat(data_dir: Path, person_id: str, as_of_date: object, stamp: object) -> None:
    """Writes again one history row of ``person_id``, on ``as_of_date``, stamped ``stamp``."""
    execute(
        data_dir,
        f"insert into {HISTORY} by name select * replace (cast(? as date) as as_of_date, "
        f"cast(? as timestamp) as refreshed_at) from {HISTORY} where person_id = ? limit 1",
        [as_of_date, stamp, person_id],
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("history-newest-day-tests"))


def test_the_history_grain_is_checked_on_the_days_the_newest_run_wrote(
    data_dir: Path, tmp_path: Path
) -> None:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        [(stamps, days, first, second, third)] = con.execute(
            f"select list(distinct refreshed_at), list(distinct as_of_date), min(person_id), max(person_id), "
            f"min(person_id) filter (where person_id > (select min(person_id) from {HISTORY})) from {HISTORY}"
        ).fetchall()
    assert len(stamps) == 1 and len(days) == 1, "the first run wrote one day, all stamped with its start"
    first_run, first_day = stamps[0], days[0]
    assert len({first, second, third}) == 3
    assert failed_tests(data_dir, tmp_path) == {}

    # 1. One run: a person-day repeated with the same stamp is found.
    repeat(data_dir, first, first_day, first_run)
    assert failed_tests(data_dir, tmp_path) == {GRAIN: 1}

    # 2. A newer run writes the next day (every person of the first day) and repeats one of them
    # there; it also re-scores the first day, repeating another person: both are read and found.
    newer, next_day = first_run + timedelta(days=1), first_day + timedelta(days=1)
    execute(
        data_dir,
        f"insert into {HISTORY} by name select distinct on (person_id, model_id) * replace "
        f"(cast(? as date) as as_of_date, cast(? as timestamp) as refreshed_at) from {HISTORY}",
        [next_day, newer],
    )
    repeat(data_dir, second, next_day, newer)
    repeat(data_dir, third, first_day, newer)
    assert failed_tests(data_dir, tmp_path) == {GRAIN: 3}

    # 3. Those repeats now belong to an older run: the newest run wrote a third day, and only that
    # day's rows are read. The first run's repeat on the first day is not read either.
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(
            f"insert into {HISTORY} by name select distinct on (person_id, model_id) * replace "
            f"(as_of_date + 2 as as_of_date, cast(? as timestamp) as refreshed_at) from {HISTORY} "
            "where as_of_date = ?",
            [newer + timedelta(days=1), first_day],
        )
    assert failed_tests(data_dir, tmp_path) == {}
