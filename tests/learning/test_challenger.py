"""The scikit-learn challenger: fitting on training rows only, fallbacks, and the warehouse round trip.

Expected probabilities are worked out by hand from the logistic-regression objective; see each test.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from orchestration.learning.challenger import (
    PREDICTION_COLUMNS,
    LearningContractError,
    challenger_predictions_from_warehouse,
    fit_and_predict,
    one_hot_on_training_buckets,
    refresh_challenger_predictions,
    summarise_challenger,
    write_challenger_predictions,
)

CUTOFF = date(2024, 3, 1)

# With a balanced training set (two 'hi' positives, two 'lo' negatives) the objective
#   C * sum(log-loss) + (w_hi^2 + w_lo^2) / 2
# is symmetric under swapping the classes, so the intercept is 0 and w_hi = -w_lo = w, and with C = 1
#   4 * log(1 + e^-w) + w^2   is minimal where   w = 2 * (1 - sigmoid(w)),   i.e. w = 0.6748,
# so P(label | hi) = sigmoid(0.6748) = 0.6626 and P(label | lo) = 1 - 0.6626 = 0.3374.
P_HI = 0.6626
P_LO = 1 - P_HI


def example_frames(
    rows: list[tuple[str, str, str, str, bool, dict[str, str]]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(entity_type, model_id, entity_id, split, label, {feature_id: bucket}) rows -> examples, features."""
    examples = pd.DataFrame(
        [
            {
                "entity_type": entity_type,
                "model_id": model_id,
                "entity_id": entity_id,
                "cutoff_date": CUTOFF,
                "split": split,
                "label": label,
            }
            for entity_type, model_id, entity_id, split, label, _ in rows
        ]
    )
    features = pd.DataFrame(
        [
            {
                "entity_type": entity_type,
                "model_id": model_id,
                "entity_id": entity_id,
                "cutoff_date": CUTOFF,
                "feature_id": feature_id,
                "bucket": bucket,
                "last_fact_at": None,
            }
            for entity_type, model_id, entity_id, _, _, buckets in rows
            for feature_id, bucket in buckets.items()
        ]
    )
    return examples, features


def separable_rows(test_labels: tuple[bool, bool, bool, bool] = (True, True, False, False)) -> list:
    """'title' = hi exactly for the positive training rows; 'region' is the same for everyone."""
    rows = [
        ("person", "m1", "p1", "train", True, {"title": "hi", "region": "emea"}),
        ("person", "m1", "p2", "train", True, {"title": "hi", "region": "emea"}),
        ("person", "m1", "p3", "train", False, {"title": "lo", "region": "emea"}),
        ("person", "m1", "p4", "train", False, {"title": "lo", "region": "emea"}),
    ]
    test_titles = ["hi", "hi", "lo", "lo"]
    for position, (title, label) in enumerate(zip(test_titles, test_labels, strict=True)):
        rows.append(("person", "m1", f"t{position}", "test", label, {"title": title, "region": "emea"}))
    return rows


def probabilities(predictions: pd.DataFrame) -> dict[str, float]:
    return dict(zip(predictions["entity_id"], predictions["probability"], strict=True))


def test_a_separating_feature_ranks_every_test_positive_above_every_test_negative() -> None:
    examples, features = example_frames(separable_rows())

    predictions = fit_and_predict(examples, features)

    assert list(predictions.columns) == PREDICTION_COLUMNS
    assert list(predictions["entity_id"]) == list(examples["entity_id"])
    test = predictions[predictions["split"] == "test"].merge(examples[["entity_id", "label"]])
    assert test.loc[test["label"], "probability"].min() > test.loc[~test["label"], "probability"].max()
    p = probabilities(predictions)
    # Fitted on the four training rows only (with the test rows too, w = 4 * (1 - sigmoid(w)) instead).
    for entity_id in ("p1", "p2", "t0", "t1"):
        assert p[entity_id] == pytest.approx(P_HI, abs=1e-3)
    for entity_id in ("p3", "p4", "t2", "t3"):
        assert p[entity_id] == pytest.approx(P_LO, abs=1e-3)


def test_b_test_rows_are_never_fitted() -> None:
    examples, features = example_frames(separable_rows(test_labels=(True, False, True, False)))
    flipped = examples.assign(
        label=np.where(examples["split"] == "test", ~examples["label"], examples["label"])
    )
    assert (flipped["label"] != examples["label"]).sum() == 4

    original = fit_and_predict(examples, features)
    after_flip = fit_and_predict(flipped, features)

    np.testing.assert_array_equal(original["probability"].to_numpy(), after_flip["probability"].to_numpy())


def test_c_a_single_class_training_group_gets_the_base_rate() -> None:
    rows = [
        # A group that never converted in training: base rate 0 / 2 = 0.0, even for a test positive.
        ("account", "a1", "x1", "train", False, {"size": "big"}),
        ("account", "a1", "x2", "train", False, {"size": "small"}),
        ("account", "a1", "x3", "test", True, {"size": "big"}),
        # One that always converted: 1.0.
        ("account", "a2", "y1", "train", True, {"size": "big"}),
        ("account", "a2", "y2", "test", False, {"size": "small"}),
        # One with test rows only: nothing to learn from, so no probability.
        ("account", "a3", "z1", "test", True, {"size": "big"}),
        *separable_rows(),
    ]
    examples, features = example_frames(rows)

    p = probabilities(fit_and_predict(examples, features))

    assert (p["x1"], p["x2"], p["x3"]) == (0.0, 0.0, 0.0)
    assert (p["y1"], p["y2"]) == (1.0, 1.0)
    assert np.isnan(p["z1"])
    # The other group in the same call is fitted as if alone.
    assert p["t0"] == pytest.approx(P_HI, abs=1e-3)


def test_e_a_bucket_seen_only_in_test_rows_encodes_as_unknown() -> None:
    rows = [
        *separable_rows(),
        ("person", "m1", "new", "test", True, {"title": "never_seen", "region": "emea"}),
    ]
    examples, features = example_frames(rows)

    p = probabilities(fit_and_predict(examples, features))

    # 'never_seen' encodes as all zeros for title: only the intercept (0, by symmetry) and the constant
    # region (weight 0, by the same symmetry) are left, so sigmoid(0) = 0.5.
    assert p["new"] == pytest.approx(0.5, abs=1e-6)
    assert p["t0"] == pytest.approx(P_HI, abs=1e-3)


def test_the_one_hot_encoding_is_scikit_learns_fitted_on_the_training_rows() -> None:
    """Checked against OneHotEncoder(handle_unknown='ignore'), an independent route, on buckets
    given as strings and as categoricals (as the warehouse reads them, with categories in another
    order and one that no row carries)."""
    from sklearn.preprocessing import OneHotEncoder

    buckets = pd.DataFrame(
        {
            "title": ["vp", "c_level", "vp", "manager", "intern", "c_level"],
            "region": ["emea", "emea", "amer", "emea", "apac", "amer"],
            "size": ["1-10", "1-10", "1-10", "1-10", "1-10", "1-10"],
        }
    )
    # the last two rows are not training rows: 'intern' and 'apac' are never seen in training
    is_train = np.array([True, True, True, True, False, False])
    expected = OneHotEncoder(handle_unknown="ignore").fit(buckets[is_train]).transform(buckets).toarray()
    # worked out by hand too: c_level, manager, vp | amer, emea | 1-10
    assert expected.tolist() == [
        [0, 0, 1, 0, 1, 1],
        [1, 0, 0, 0, 1, 1],
        [0, 0, 1, 1, 0, 1],
        [0, 1, 0, 0, 1, 1],
        [0, 0, 0, 0, 0, 1],
        [1, 0, 0, 1, 0, 1],
    ]
    assert one_hot_on_training_buckets(buckets, is_train).toarray().tolist() == expected.tolist()
    as_read = buckets.apply(
        lambda column: pd.Categorical(column, categories=[*sorted(set(column), reverse=True), "unused"])
    )
    assert one_hot_on_training_buckets(as_read, is_train).toarray().tolist() == expected.tolist()


def test_an_example_without_a_bucket_for_some_feature_is_refused() -> None:
    examples, features = example_frames(separable_rows())
    features = features[~((features["entity_id"] == "t0") & (features["feature_id"] == "region"))]

    with pytest.raises(LearningContractError, match="lacks a bucket"):
        fit_and_predict(examples, features)


def warehouse_with(path: Path, rows: list) -> duckdb.DuckDBPyConnection:
    examples, features = example_frames(rows)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA intermediate").fetchall()
    con.register("examples_frame", examples)
    con.register("features_frame", features)
    con.execute(
        """
        CREATE TABLE intermediate.int_learning_examples AS
        SELECT entity_type, model_id, entity_id, CAST(cutoff_date AS DATE) AS cutoff_date, split,
               CAST(label AS BOOLEAN) AS label
        FROM examples_frame
        """
    ).fetchall()
    con.execute(
        """
        CREATE TABLE intermediate.int_learning_features AS
        SELECT entity_type, model_id, entity_id, CAST(cutoff_date AS DATE) AS cutoff_date, feature_id,
               bucket, CAST(last_fact_at AS TIMESTAMP) AS last_fact_at
        FROM features_frame
        """
    ).fetchall()
    con.unregister("examples_frame")
    con.unregister("features_frame")
    return con


WAREHOUSE_ROWS = [
    *separable_rows(),
    ("account", "a2", "y1", "train", True, {"size": "big", "industry": "saas"}),
    ("account", "a2", "y2", "train", True, {"size": "small", "industry": "saas"}),
    ("account", "a2", "y3", "test", False, {"size": "small", "industry": "retail"}),
]


def test_d_warehouse_round_trip_replaces_the_table(tmp_path: Path) -> None:
    con = warehouse_with(tmp_path / "warehouse.duckdb", WAREHOUSE_ROWS)
    try:
        predictions = challenger_predictions_from_warehouse(con)
        first = datetime(2024, 3, 2, 6, 0)
        assert write_challenger_predictions(con, predictions, trained_at=first) == 11
        second = datetime(2024, 3, 3, 6, 0)
        assert write_challenger_predictions(con, predictions, trained_at=second) == 11

        columns = [
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'learning' AND table_name = 'challenger_predictions' "
                "ORDER BY ordinal_position"
            ).fetchall()
        ]
        written = con.execute(
            "SELECT entity_type, model_id, entity_id, cutoff_date, split, probability, trained_at "
            "FROM learning.challenger_predictions"
        ).df()
        summary = summarise_challenger(con).set_index(["entity_type", "model_id"])
    finally:
        con.close()

    assert columns == [*PREDICTION_COLUMNS, "trained_at", "inputs_fingerprint"]
    assert len(written) == 11  # 8 person + 3 account examples, once: the second write replaced the first
    assert set(written["trained_at"]) == {pd.Timestamp(second)}
    assert set(written["cutoff_date"].dt.date) == {CUTOFF}
    p = probabilities(written)
    assert p["t0"] == pytest.approx(P_HI, abs=1e-3)
    assert p["t2"] == pytest.approx(P_LO, abs=1e-3)
    assert (p["y1"], p["y2"], p["y3"]) == (1.0, 1.0, 1.0)
    # The warehouse path and the in-memory path agree.
    in_memory = probabilities(fit_and_predict(*example_frames(WAREHOUSE_ROWS)))
    for entity_id, probability in in_memory.items():
        assert p[entity_id] == pytest.approx(probability, abs=1e-9), entity_id

    assert summary.loc[("person", "m1"), ["rows", "training_rows", "test_rows"]].tolist() == [8, 4, 4]
    assert summary.loc[("person", "m1"), "test_auc"] == 1.0  # both test 'hi' rows are the positives
    assert summary.loc[("account", "a2"), ["rows", "training_rows", "test_rows"]].tolist() == [3, 2, 1]
    assert summary.loc[("account", "a2"), "test_auc"] is None  # a single test row: AUC undefined


def test_a_failed_write_leaves_the_previous_table(tmp_path: Path) -> None:
    con = warehouse_with(tmp_path / "warehouse.duckdb", WAREHOUSE_ROWS)
    try:
        predictions = challenger_predictions_from_warehouse(con)
        write_challenger_predictions(con, predictions, trained_at=datetime(2024, 3, 2))
        broken = predictions.assign(probability="not a number")
        with pytest.raises(duckdb.Error):
            write_challenger_predictions(con, broken, trained_at=datetime(2024, 3, 3))
        after = con.execute(
            "SELECT count(*), max(trained_at) FROM learning.challenger_predictions"
        ).fetchall()
    finally:
        con.close()

    assert after == [(11, datetime(2024, 3, 2))]


def test_the_warehouse_refuses_an_example_without_all_its_features(tmp_path: Path) -> None:
    con = warehouse_with(tmp_path / "warehouse.duckdb", WAREHOUSE_ROWS)
    try:
        con.execute(
            "DELETE FROM intermediate.int_learning_features WHERE entity_id = 'y3' AND feature_id = 'size'"
        ).fetchall()
        with pytest.raises(LearningContractError, match="1 example"):
            challenger_predictions_from_warehouse(con)
    finally:
        con.close()


SCORING_DATE = date(2024, 6, 1)


def add_scoring_date_examples(con: duckdb.DuckDBPyConnection, *entity_ids: str) -> None:
    """People of model m1 on the scoring date (split 'score', no label): one feature row each, so
    that reading them as a training or test example would break the one-bucket-per-feature contract."""
    for entity_id in entity_ids:
        con.execute(
            "INSERT INTO intermediate.int_learning_examples VALUES ('person', 'm1', ?, ?, 'score', NULL)",
            [entity_id, SCORING_DATE],
        ).fetchall()
        con.execute(
            "INSERT INTO intermediate.int_learning_features "
            "VALUES ('person', 'm1', ?, ?, 'region', 'hi', NULL)",
            [entity_id, SCORING_DATE],
        ).fetchall()


def test_the_scoring_dates_examples_are_neither_fitted_nor_predicted(tmp_path: Path) -> None:
    con = warehouse_with(tmp_path / "warehouse.duckdb", WAREHOUSE_ROWS)
    try:
        add_scoring_date_examples(con, "s1", "s2")
        predictions = challenger_predictions_from_warehouse(con)
    finally:
        con.close()

    # the 8 person and 3 account examples of the backtest, as without the scoring date's rows
    assert len(predictions) == 11
    assert set(predictions["split"]) == {"train", "test"}
    assert set(predictions["cutoff_date"].map(pd.Timestamp)) == {pd.Timestamp(CUTOFF)}
    p = probabilities(predictions)
    assert p["t0"] == pytest.approx(P_HI, abs=1e-3)
    assert p["t2"] == pytest.approx(P_LO, abs=1e-3)


def test_a_refresh_refits_only_when_the_training_or_test_inputs_change(tmp_path: Path) -> None:
    con = warehouse_with(tmp_path / "warehouse.duckdb", WAREHOUSE_ROWS)

    def trained_at() -> list[tuple]:
        return con.execute("SELECT DISTINCT trained_at FROM learning.challenger_predictions").fetchall()

    try:
        assert refresh_challenger_predictions(con) == (11, True)  # no table yet
        first_fit = trained_at()
        assert len(first_fit) == 1

        assert refresh_challenger_predictions(con) == (11, False)  # nothing changed
        add_scoring_date_examples(con, "s1")
        assert refresh_challenger_predictions(con) == (11, False)  # only the scoring date changed
        assert trained_at() == first_fit  # the table was kept as the first fit wrote it

        con.execute(
            "UPDATE intermediate.int_learning_features SET bucket = 'lo' "
            "WHERE entity_id = 't0' AND feature_id = 'title'"
        ).fetchall()
        assert refresh_challenger_predictions(con) == (11, True)  # a test example's bucket changed
        assert probabilities(con.execute("SELECT * FROM learning.challenger_predictions").df())[
            "t0"
        ] == pytest.approx(P_LO, abs=1e-3)  # the same fit: t0 now reads as a 'lo' row

        con.execute(
            "UPDATE intermediate.int_learning_examples SET label = NOT label WHERE entity_id = 'p1'"
        ).fetchall()
        assert refresh_challenger_predictions(con) == (11, True)  # a training label changed
        assert refresh_challenger_predictions(con) == (11, False)

        con.execute(
            "INSERT INTO intermediate.int_learning_examples VALUES ('account', 'a2', 'y4', ?, 'test', TRUE)",
            [CUTOFF],
        ).fetchall()
        for feature_id, bucket in (("size", "big"), ("industry", "saas")):
            con.execute(
                "INSERT INTO intermediate.int_learning_features "
                "VALUES ('account', 'a2', 'y4', ?, ?, ?, NULL)",
                [CUTOFF, feature_id, bucket],
            ).fetchall()
        assert refresh_challenger_predictions(con) == (12, True)  # a new test example

        # a table written without a fingerprint (by an earlier version) is never trusted
        write_challenger_predictions(con, challenger_predictions_from_warehouse(con))
        assert refresh_challenger_predictions(con) == (12, True)
        assert refresh_challenger_predictions(con) == (12, False)
        # nor is one fitted with other settings
        assert refresh_challenger_predictions(con, regularisation_c=0.5) == (12, True)
    finally:
        con.close()
