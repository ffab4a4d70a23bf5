"""A logistic-regression challenger to the scoring model dbt learns in SQL.

dbt turns history into learning examples (``intermediate.int_learning_examples``: one row per
entity, scoring model and cutoff date, with a train/test split and a label) and bucketed features
(``intermediate.int_learning_features``: exactly one bucket per example and feature). This module
fits one scikit-learn logistic regression per (entity_type, model_id) on the same one-hot buckets
and writes its probability for every example to ``learning.challenger_predictions``, so dbt can
report both models side by side on the test split.

Only ``split = 'train'`` rows are used for fitting; test rows are only predicted. The scoring
date's examples (``split = 'score'``) are neither: the challenger is compared with the SQL model on
the held-out periods only, and nothing reads a challenger score for today.

The training and test examples change only when the backtest is retrained (every
``cutoff_every_days``, or when its configuration or history changes): ``refresh_challenger_predictions``
refits only when a fingerprint of what the fit reads differs from the one stored beside the
predictions it wrote last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd
import sklearn
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

EXAMPLES_TABLE = "intermediate.int_learning_examples"
FEATURES_TABLE = "intermediate.int_learning_features"
PREDICTIONS_SCHEMA = "learning"
PREDICTIONS_TABLE = f"{PREDICTIONS_SCHEMA}.challenger_predictions"

BACKTEST_SPLITS = ("train", "test")
# Bump when the fit changes in a way the inputs do not show (its method, encoding or settings), so
# that the next run refits instead of keeping predictions made the old way.
FIT_VERSION = 1
GROUP_COLUMNS = ["entity_type", "model_id"]
EXAMPLE_KEY = [*GROUP_COLUMNS, "entity_id", "cutoff_date"]
PREDICTION_COLUMNS = [*EXAMPLE_KEY, "split", "probability"]
TRAIN_SPLIT, TEST_SPLIT = BACKTEST_SPLITS
MAX_ITER = 2000

_PREDICTIONS_VIEW = "_challenger_predictions_to_write"
_IS_BACKTEST = "split IN ({})".format(", ".join(f"'{split}'" for split in BACKTEST_SPLITS))
# A feature row of a training or test example: its (entity_type, model_id, cutoff_date) is one of
# theirs, so the scoring date's feature rows (millions on large) are never read.
_IS_BACKTEST_FEATURE = (
    "(entity_type, model_id, cutoff_date) IN ("
    f"SELECT DISTINCT entity_type, model_id, cutoff_date FROM {EXAMPLES_TABLE} WHERE {_IS_BACKTEST})"
)


class LearningContractError(ValueError):
    """The examples or features break the contract dbt promises (one bucket per example and feature)."""


def fit_and_predict(
    examples: pd.DataFrame, features: pd.DataFrame, *, regularisation_c: float = 1.0
) -> pd.DataFrame:
    """Fit one logistic regression per (entity_type, model_id) and predict every example.

    ``examples`` has the columns of ``int_learning_examples`` (entity_type, model_id, entity_id,
    cutoff_date, split, label); ``features`` is long, one row per example and feature (feature_id,
    bucket). Each feature is one-hot encoded on its buckets; a bucket seen only outside the
    training rows encodes as all zeros for that feature (``handle_unknown='ignore'``).

    Only rows with split 'train' are fitted; every row, train and test, gets a probability.
    A group whose training rows have a single class (or no features) cannot be fitted: every row
    gets the training base rate (0.0 or 1.0 for a single class). A group with no training rows
    gets a null (NaN) probability. Rows come back in the order of ``examples``.
    """
    probability = np.full(len(examples), np.nan)
    for group, positions in examples.groupby(GROUP_COLUMNS, sort=True).indices.items():
        group_examples = examples.iloc[positions]
        group_features = features[(features["entity_type"] == group[0]) & (features["model_id"] == group[1])]
        buckets = _pivot_buckets(group, group_examples, group_features)
        probability[positions] = predict_group(
            buckets, group_examples["split"], group_examples["label"], regularisation_c=regularisation_c
        )
    predictions = examples[[*EXAMPLE_KEY, "split"]].copy()
    predictions["probability"] = probability
    return predictions.reset_index(drop=True)


def predict_group(
    buckets: pd.DataFrame, split: pd.Series, label: pd.Series, *, regularisation_c: float = 1.0
) -> np.ndarray:
    """Probabilities of label for one (entity_type, model_id): one column of buckets per feature.

    Fitted on the rows whose split is 'train' only; see ``fit_and_predict`` for the fallbacks.
    """
    is_train = (split == TRAIN_SPLIT).to_numpy()
    train_label = label[is_train]
    if train_label.isna().any():
        raise LearningContractError("a training example has a null label")
    y = train_label.astype(bool).to_numpy()
    if len(y) == 0:
        return np.full(len(buckets), np.nan)
    if y.all() or not y.any() or buckets.shape[1] == 0:
        # One class (or nothing to learn from): the honest prediction is the base rate.
        return np.full(len(buckets), y.mean())
    encoded = one_hot_on_training_buckets(buckets, is_train)
    model = LogisticRegression(C=regularisation_c, max_iter=MAX_ITER)
    model.fit(encoded[is_train], y)
    # classes_ is [False, True]: column 1 is the probability of a positive label.
    return model.predict_proba(encoded)[:, 1]


def one_hot_on_training_buckets(buckets: pd.DataFrame, is_train: np.ndarray) -> sparse.csr_matrix:
    """One column per (feature, bucket seen in a training row): feature by feature, each feature's
    buckets in sorted order; a bucket seen only outside the training rows sets none of its
    feature's columns. This is what scikit-learn's OneHotEncoder(handle_unknown='ignore') fitted on
    the training rows gives, computed once per distinct bucket rather than once per row (on large,
    the encoder's string lookups were 15 of the challenger's 38 s).
    """
    row_ids, column_ids = [], []
    offset = 0
    for name in buckets.columns:
        values = pd.Categorical(buckets[name])
        codes = values.codes
        seen = np.unique(codes[is_train])
        seen = seen[seen >= 0]
        trained = sorted(values.categories[seen])
        column_of_code = np.full(len(values.categories), -1, dtype=np.int64)
        column_of_code[values.categories.get_indexer(trained)] = offset + np.arange(len(trained))
        columns = np.where(codes >= 0, column_of_code[codes], -1)
        known = columns >= 0
        row_ids.append(np.flatnonzero(known))
        column_ids.append(columns[known])
        offset += len(trained)
    rows = np.concatenate(row_ids) if row_ids else np.empty(0, dtype=np.int64)
    columns = np.concatenate(column_ids) if column_ids else np.empty(0, dtype=np.int64)
    return sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(buckets), offset), dtype=np.float64
    )


def challenger_predictions_from_warehouse(
    connection: duckdb.DuckDBPyConnection, *, regularisation_c: float = 1.0
) -> pd.DataFrame:
    """Read the training and test examples and their features from the warehouse; predict each.

    One (entity_type, model_id) at a time, pivoted in DuckDB to one row per example and one column
    per feature, with the buckets dictionary-encoded on the way to pandas: the long feature table
    (examples x features rows) never reaches Python.
    """
    feature_ids = _feature_ids_by_group(connection)
    groups = connection.execute(
        f"SELECT DISTINCT entity_type, model_id FROM {EXAMPLES_TABLE} WHERE {_IS_BACKTEST} ORDER BY ALL"
    ).fetchall()
    frames = []
    for group in groups:
        frame, buckets = _read_group(connection, group, feature_ids.get(group, []))
        frame["probability"] = predict_group(
            buckets, frame["split"], frame["label"], regularisation_c=regularisation_c
        )
        frame.insert(0, "entity_type", group[0])
        frame.insert(1, "model_id", group[1])
        frames.append(frame[PREDICTION_COLUMNS])
    if not frames:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in PREDICTION_COLUMNS}).astype(
            {"probability": float}
        )
    return pd.concat(frames, ignore_index=True)


def write_challenger_predictions(
    connection: duckdb.DuckDBPyConnection,
    predictions: pd.DataFrame,
    *,
    trained_at: datetime | None = None,
    inputs_fingerprint: str | None = None,
) -> int:
    """Replace ``learning.challenger_predictions`` with these predictions, in one transaction.

    A failure rolls back: readers keep seeing the previous table, never a half-written one.
    ``trained_at`` (UTC, default now) and ``inputs_fingerprint`` (what the fit read,
    ``challenger_inputs_fingerprint``; null when not given) are stamped on every row. Returns the
    number of rows written.
    """
    missing = [column for column in PREDICTION_COLUMNS if column not in predictions.columns]
    if missing:
        raise ValueError(f"predictions lack column(s) {missing}")
    stamp = trained_at or datetime.now(UTC).replace(tzinfo=None)
    connection.register(_PREDICTIONS_VIEW, predictions[PREDICTION_COLUMNS])
    try:
        connection.execute("BEGIN TRANSACTION").fetchall()
        try:
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {PREDICTIONS_SCHEMA}").fetchall()
            connection.execute(
                f"""
                CREATE OR REPLACE TABLE {PREDICTIONS_TABLE} AS
                SELECT
                    CAST(entity_type AS VARCHAR) AS entity_type,
                    CAST(model_id AS VARCHAR) AS model_id,
                    CAST(entity_id AS VARCHAR) AS entity_id,
                    CAST(cutoff_date AS DATE) AS cutoff_date,
                    CAST(split AS VARCHAR) AS split,
                    CAST(probability AS DOUBLE) AS probability,
                    CAST($1 AS TIMESTAMP) AS trained_at,
                    CAST($2 AS VARCHAR) AS inputs_fingerprint
                FROM {_PREDICTIONS_VIEW}
                """,
                [stamp, inputs_fingerprint],
            ).fetchall()
            written = connection.execute(f"SELECT count(*) FROM {PREDICTIONS_TABLE}").fetchall()[0][0]
            connection.execute("COMMIT").fetchall()
        except BaseException:
            connection.execute("ROLLBACK").fetchall()
            raise
    finally:
        connection.unregister(_PREDICTIONS_VIEW)
    return written


def challenger_inputs_fingerprint(
    connection: duckdb.DuckDBPyConnection, *, regularisation_c: float = 1.0
) -> str:
    """What the fit reads, in one string: the training and test examples (key, split, label) and
    their feature buckets, as row counts and order-free sums of DuckDB row hashes, with the fit's
    settings, ``FIT_VERSION`` and scikit-learn's version. Equal strings mean the same fit of the
    same rows.

    DuckDB's hash may change between DuckDB versions: an upgrade then costs one refit, never a
    stale prediction.
    """
    examples = _count_and_hash_sum(
        connection,
        EXAMPLES_TABLE,
        "entity_type, model_id, entity_id, cutoff_date, split, label",
        _IS_BACKTEST,
    )
    features = _count_and_hash_sum(
        connection,
        FEATURES_TABLE,
        "entity_type, model_id, entity_id, cutoff_date, feature_id, bucket",
        _IS_BACKTEST_FEATURE,
    )
    settings = (
        f"fit {FIT_VERSION} scikit-learn {sklearn.__version__} C={regularisation_c!r} max_iter={MAX_ITER}"
    )
    return f"{settings}; examples {examples}; features {features}"


def _count_and_hash_sum(connection: duckdb.DuckDBPyConnection, table: str, columns: str, where: str) -> str:
    """'<rows>:<sum of hash(columns)>' over the rows of ``table`` that match ``where``."""
    (value,) = connection.execute(
        f"SELECT count(*) || ':' || coalesce(sum(CAST(hash({columns}) AS HUGEINT)), 0) "
        f"FROM {table} WHERE {where}"
    ).fetchall()[0]
    return value


def refresh_challenger_predictions(
    connection: duckdb.DuckDBPyConnection, *, regularisation_c: float = 1.0
) -> tuple[int, bool]:
    """Refit and rewrite ``learning.challenger_predictions`` unless the stored predictions were made
    from the same inputs (``challenger_inputs_fingerprint``). Returns (rows in the table, refitted).
    """
    fingerprint = challenger_inputs_fingerprint(connection, regularisation_c=regularisation_c)
    stored = _stored_fingerprint(connection)
    if stored is not None and stored[0] == fingerprint:
        return stored[1], False
    predictions = challenger_predictions_from_warehouse(connection, regularisation_c=regularisation_c)
    return write_challenger_predictions(connection, predictions, inputs_fingerprint=fingerprint), True


def _stored_fingerprint(connection: duckdb.DuckDBPyConnection) -> tuple[str, int] | None:
    """(fingerprint, rows) of the predictions table when every row carries one and the same."""
    exists = connection.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? AND column_name = 'inputs_fingerprint'",
        [PREDICTIONS_SCHEMA, PREDICTIONS_TABLE.split(".")[1]],
    ).fetchall()[0][0]
    if not exists:
        return None
    first, last, rows, stamped = connection.execute(
        "SELECT min(inputs_fingerprint), max(inputs_fingerprint), count(*), count(inputs_fingerprint) "
        f"FROM {PREDICTIONS_TABLE}"
    ).fetchall()[0]
    if rows == 0 or stamped != rows or first != last:
        return None
    return first, rows


def summarise_challenger(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per (entity_type, model_id): rows, training rows, test rows and the test-split ROC AUC.

    Reads the written predictions joined to the examples' labels. The AUC is None where it is
    undefined (test rows of a single class, or no test rows). A quick signal for the run log
    only: the comparison with the SQL-learned model is reported in dbt.
    """
    counts = connection.execute(
        f"""
        SELECT
            entity_type,
            model_id,
            count(*) AS rows,
            count(*) FILTER (WHERE split = '{TRAIN_SPLIT}') AS training_rows,
            count(*) FILTER (WHERE split = '{TEST_SPLIT}') AS test_rows
        FROM {PREDICTIONS_TABLE}
        GROUP BY ALL
        ORDER BY ALL
        """
    ).df()
    test_rows = connection.execute(
        f"""
        SELECT p.entity_type, p.model_id, p.probability, e.label
        FROM {PREDICTIONS_TABLE} AS p
        INNER JOIN {EXAMPLES_TABLE} AS e USING (entity_type, model_id, entity_id, cutoff_date)
        WHERE p.split = '{TEST_SPLIT}' AND p.probability IS NOT NULL AND e.label IS NOT NULL
        """
    ).df()
    auc = {
        group: _auc_or_none(rows["label"], rows["probability"])
        for group, rows in test_rows.groupby(GROUP_COLUMNS, sort=False)
    }
    # object dtype keeps None as None (a float column would turn it into NaN).
    counts["test_auc"] = pd.Series(
        [
            auc.get((entity_type, model_id))
            for entity_type, model_id in zip(counts["entity_type"], counts["model_id"], strict=True)
        ],
        index=counts.index,
        dtype=object,
    )
    return counts


def _auc_or_none(label: pd.Series, probability: pd.Series) -> float | None:
    if label.nunique() < 2:
        return None
    return float(roc_auc_score(label.astype(bool), probability))


def _pivot_buckets(
    group: tuple[str, str], group_examples: pd.DataFrame, group_features: pd.DataFrame
) -> pd.DataFrame:
    """One row per example (in the examples' order), one column of buckets per feature."""
    if group_features.duplicated([*EXAMPLE_KEY, "feature_id"]).any():
        raise LearningContractError(f"{group}: an example has two rows for the same feature")
    wide = group_features.pivot(index=EXAMPLE_KEY, columns="feature_id", values="bucket")
    wide = wide.reindex(pd.MultiIndex.from_frame(group_examples[EXAMPLE_KEY]))
    if wide.isna().any().any():
        raise LearningContractError(f"{group}: an example lacks a bucket for some feature")
    return wide.reset_index(drop=True)


def _feature_ids_by_group(connection: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    rows = connection.execute(
        f"SELECT DISTINCT entity_type, model_id, feature_id FROM {FEATURES_TABLE} "
        f"WHERE {_IS_BACKTEST_FEATURE} ORDER BY ALL"
    ).fetchall()
    by_group: dict[tuple[str, str], list[str]] = {}
    for entity_type, model_id, feature_id in rows:
        by_group.setdefault((entity_type, model_id), []).append(feature_id)
    return by_group


def _read_group(
    connection: duckdb.DuckDBPyConnection, group: tuple[str, str], feature_ids: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One group's examples (entity_id, cutoff_date, split, label) and their buckets, one column each.

    Feature columns are named f0, f1, ... in the SQL (feature ids are passed as parameters, never
    spliced in) and renamed to the feature ids afterwards.
    """
    aliases = [f"f{position}" for position in range(len(feature_ids))]
    pivots = "".join(
        f",\n            any_value(bucket) FILTER (WHERE feature_id = ${position + 3}) AS {alias}"
        for position, alias in enumerate(aliases)
    )
    # The group's features are pivoted on their own, then joined to the examples: grouping the
    # joined rows by the examples' columns took half as long again on large.
    query = f"""
        WITH pivoted AS (
            SELECT entity_id, cutoff_date, count(*) AS feature_rows{pivots}
            FROM {FEATURES_TABLE}
            WHERE entity_type = $1 AND model_id = $2 AND {_IS_BACKTEST_FEATURE}
            GROUP BY entity_id, cutoff_date
        )
        SELECT
            e.entity_id, e.cutoff_date, e.split, e.label,
            coalesce(pivoted.feature_rows, 0) AS feature_rows{"".join(f", pivoted.{a}" for a in aliases)}
        FROM {EXAMPLES_TABLE} AS e
        LEFT JOIN pivoted USING (entity_id, cutoff_date)
        WHERE e.entity_type = $1 AND e.model_id = $2 AND e.{_IS_BACKTEST}
        ORDER BY e.entity_id, e.cutoff_date
    """
    table = connection.sql(query, params=[*group, *feature_ids]).to_arrow_table()
    # Buckets as pandas categoricals: a few distinct strings per feature instead of one per row.
    frame = table.to_pandas(categories=aliases, date_as_object=False)
    bad = (frame["feature_rows"] != len(feature_ids)) | frame[aliases].isna().any(axis=1)
    if bad.any():
        first = frame.loc[bad].iloc[0]
        raise LearningContractError(
            f"{group}: {int(bad.sum())} example(s) lack exactly one non-null bucket per feature "
            f"(first: entity {first['entity_id']} at {first['cutoff_date']}, "
            f"{first['feature_rows']} of {len(feature_ids)} feature rows)"
        )
    buckets = frame[aliases].set_axis(list(feature_ids), axis=1)
    return frame[["entity_id", "cutoff_date", "split", "label"]].copy(), buckets
