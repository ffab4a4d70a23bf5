"""The scikit-learn challenger as a Dagster asset, downstream of dbt's learning examples and features.

It writes DuckDB, so it shares the `warehouse_writer` pool with ingestion and dbt.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.learning.challenger import refresh_challenger_predictions, summarise_challenger

CHALLENGER_PREDICTIONS_KEY = dg.AssetKey(["learning", "challenger_predictions"])
LEARNING_EXAMPLES_KEY = dg.AssetKey(["intermediate", "int_learning_examples"])
LEARNING_FEATURES_KEY = dg.AssetKey(["intermediate", "int_learning_features"])


def summary_metadata(summary: list[dict]) -> dict[str, dg.MetadataValue]:
    """Run metadata from ``summarise_challenger`` rows: counts and test AUC per entity_type/model_id.

    Flat numeric entries, so Dagster plots each one across materialisations.
    """
    metadata: dict[str, dg.MetadataValue] = {
        "dagster/row_count": dg.MetadataValue.int(sum(int(row["rows"]) for row in summary))
    }
    for row in summary:
        group = f"{row['entity_type']}/{row['model_id']}"
        metadata[f"rows/{group}"] = dg.MetadataValue.int(int(row["rows"]))
        metadata[f"training_rows/{group}"] = dg.MetadataValue.int(int(row["training_rows"]))
        auc = row["test_auc"]
        metadata[f"test_auc/{group}"] = (
            dg.MetadataValue.float(float(auc)) if auc is not None else dg.MetadataValue.null()
        )
    return metadata


@dg.asset(
    key=CHALLENGER_PREDICTIONS_KEY,
    deps=[LEARNING_EXAMPLES_KEY, LEARNING_FEATURES_KEY],
    group_name="learning",
    kinds={"duckdb", "python", "scikitlearn"},
    description=(
        "Challenger to the SQL-learned scoring model: one scikit-learn logistic regression per "
        "entity type and scoring model, fitted on the one-hot feature buckets of the training "
        "examples, with its probability for every example (train and test) in "
        "learning.challenger_predictions. Compared with the SQL model in dbt. Refitted only when "
        "the training and test examples or their features changed since the last fit."
    ),
    pool="warehouse_writer",
)
def challenger_predictions(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    with duckdb.get_connection() as con:
        rows, refitted = refresh_challenger_predictions(con)
        summary = summarise_challenger(con).to_dict("records")
    state = "refitted" if refitted else "kept: same training and test inputs as the last fit"
    context.log.info(f"learning.challenger_predictions: {rows} rows, {state}; {summary}")
    metadata = summary_metadata(summary)
    metadata["refitted"] = dg.MetadataValue.bool(refitted)
    return dg.MaterializeResult(metadata=metadata)
