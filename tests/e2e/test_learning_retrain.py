"""The learning backtest is computed once per retrain date and kept in between.

On a copy of the small world after its first run (scored as of its last activity day, which is also
a retrain date: 2026-11-19 is a multiple of 28 days after 1970-01-01), one row of each backtest table
is altered by hand. dbt then scores again, incrementally, as of the next day (the same retrain date:
the altered rows must survive, proof that nothing was recomputed) and as of the next retrain date
(every backtest row is computed again: the altered rows are gone), and once more on that day after
one model's rule version is edited (that model's backtest is computed again, the other's kept).
After each incremental run the tables are compared with a full refresh as of the same day on the
same warehouse, an independent route: equal row for row, but for the altered rows while they are
kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from .backtest import BACKTESTS, cutoff_spacings, retrain_date
from .cli import dbt

pytestmark = pytest.mark.e2e

pytest.importorskip("dbt.cli.main")

# One harmless change per table, to a column nothing downstream recomputes it from.
ALTERATIONS = {
    "int_learning_examples": "retrain_date = date '1999-01-01'",
    "int_learning_features": "bucket = 'altered by the test'",
    "int_learning_rule_scores": "rule_score = -1000",
}
# Everything scored as of a date, but the score histories (which would keep each day scored).
SCORING = ("int_scoring_as_of+", "--exclude", "fct_person_score_history", "fct_account_score_history")
LEARNING = ("int_learning_cutoffs+",)


def rounded(row: tuple) -> tuple:
    """Floats to 9 significant digits: two builds may sum the same numbers in another order."""
    return tuple(float(f"{value:.9g}") if isinstance(value, float) else value for value in row)


def read(data_dir: Path) -> dict[str, Counter]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        return {
            name: Counter(
                rounded(row) for row in con.execute(f"select * from intermediate.{name}").fetchall()
            )
            for name in BACKTESTS
        }


def column_index(data_dir: Path, table: str, column: str) -> int:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        columns = con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'intermediate' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    return [name for (name,) in columns].index(column)


def alter_one_backtest_row(data_dir: Path) -> dict[str, tuple]:
    """Alters one train row of each table; returns the altered rows as they now are."""
    altered = {}
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        (as_of,) = con.execute("select as_of_date from intermediate.int_scoring_as_of").fetchall()[0]
        for name, change in ALTERATIONS.items():
            columns = ["entity_type", "model_id", "entity_id", "cutoff_date"]
            if name == "int_learning_features":
                columns.append("feature_id")
            key = con.execute(
                f"select {', '.join(columns)} from intermediate.{name} "
                "where cutoff_date < ? order by all limit 1",
                [as_of],
            ).fetchall()[0]
            where = " and ".join(f"{column} = ?" for column in columns)
            con.execute(f"update intermediate.{name} set {change} where {where}", list(key))
            rows = con.execute(f"select * from intermediate.{name} where {where}", list(key)).fetchall()
            assert len(rows) == 1, (name, rows)
            altered[name] = rounded(rows[0])
    return altered


def score_incrementally_then_rebuild(data_dir: Path, work_dir: Path, as_of: date) -> tuple[dict, dict]:
    """The backtest tables after an incremental run as of the date, and after a full refresh."""
    as_of_var = ("--vars", f'{{"as_of": "{as_of.isoformat()}"}}')
    dbt(data_dir, work_dir, "run", *as_of_var, "--select", *SCORING)
    incremental = read(data_dir)
    dbt(data_dir, work_dir, "run", "--full-refresh", *as_of_var, "--select", *LEARNING)
    return incremental, read(data_dir)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    return copy_small_world(tmp_path_factory.mktemp("learning-retrain"))


@pytest.fixture(scope="module")
def cutoff_every_days() -> int:
    (every_days,) = cutoff_spacings()
    return every_days


def test_the_backtest_is_kept_until_the_retrain_date_moves(
    data_dir: Path, tmp_path: Path, cutoff_every_days: int
) -> None:
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        (first_day,) = con.execute("select as_of_date from intermediate.int_scoring_as_of").fetchall()[0]
    assert retrain_date(first_day, cutoff_every_days) == first_day  # see the module docstring
    before = read(data_dir)

    # The next day: the same retrain date. The altered rows are kept; the rest equals a rebuild.
    next_day = first_day + timedelta(days=1)
    altered = alter_one_backtest_row(data_dir)
    incremental, rebuilt = score_incrementally_then_rebuild(data_dir, tmp_path, next_day)
    for name in BACKTESTS:
        assert incremental[name][altered[name]] == 1, f"{name}: the altered backtest row was recomputed"
        only_incremental = incremental[name] - rebuilt[name]
        only_rebuilt = rebuilt[name] - incremental[name]
        assert list(only_incremental) == [altered[name]], name
        assert only_rebuilt.total() == 1, name  # the row as it was
        # the same data and retrain date: the backtest is the first run's; the scoring day is new
        cutoff = 4 if name == "int_learning_examples" else 3
        backtest = Counter({row: n for row, n in rebuilt[name].items() if row[cutoff] < first_day})
        assert backtest == Counter({row: n for row, n in before[name].items() if row[cutoff] < first_day}), (
            name
        )
        assert {row[cutoff] for row in rebuilt[name] - backtest} == {next_day}, name

    # The next retrain date: every backtest row is computed again, so the altered rows are gone.
    next_retrain = first_day + timedelta(days=cutoff_every_days)
    altered = alter_one_backtest_row(data_dir)
    incremental, rebuilt = score_incrementally_then_rebuild(data_dir, tmp_path, next_retrain)
    for name in BACKTESTS:
        assert altered[name] not in incremental[name], name
        assert incremental[name] == rebuilt[name], name

    # The same day, with a model's rule version edited in the warehouse (as a re-seed would): its
    # backtest key changes, so its backtest is computed again at once; the other model's is kept,
    # the altered rows with it.
    altered = alter_one_backtest_row(data_dir)
    kept_model = altered["int_learning_features"][1]
    assert {row[1] for row in altered.values()} == {kept_model}

    def backtest_keys() -> dict[tuple[str, str], str]:
        """Each (entity type, model)'s backtest key."""
        with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
            rows = con.execute(
                "select distinct entity_type, model_id, backtest_key from intermediate.int_learning_cutoffs"
            ).fetchall()
        return {(entity_type, model_id): key for entity_type, model_id, key in rows}

    keys_before = backtest_keys()
    (edited_model,) = {model_id for _, model_id in keys_before} - {kept_model}
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(
            "update reference.scoring_models set rule_version = rule_version || ' edited' where model_id = ?",
            [edited_model],
        )
    incremental, rebuilt = score_incrementally_then_rebuild(data_dir, tmp_path, next_retrain)
    keys_after = backtest_keys()
    for entity_model, key in keys_after.items():
        assert (key != keys_before[entity_model]) == (entity_model[1] == edited_model), entity_model
    for name in BACKTESTS:
        assert incremental[name][altered[name]] == 1, f"{name}: the other model's backtest was recomputed"
        assert list(incremental[name] - rebuilt[name]) == [altered[name]], name
        # every row of the edited model is of its new backtest
        key = column_index(data_dir, name, "backtest_key")
        assert all(
            row[key] == keys_after[row[0], row[1]] for row in incremental[name] if row[1] == edited_model
        )
