"""One ingestion asset per source object: new files in its landing folder into its raw table.

The objects come from the landing contract (the dbt sources YAML), so adding an object there
adds its asset here. Ingestion writes DuckDB, so every asset shares the `warehouse_writer` pool.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.contract import SourceObject, load_contract
from orchestration.defs.asset_keys import raw_asset_key
from orchestration.ingest import load_object
from orchestration.settings import resolve_data_dir


def build_ingest_asset(source_object: SourceObject) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(source_object.system, source_object.name),
        group_name="raw",
        kinds={"duckdb", "python"},
        description=(
            f"Loads new {source_object.system}/{source_object.name} extract files from "
            f"landing/{source_object.landing} into {source_object.raw_table}, with the load ledger "
            "and quarantine of bad rows."
        ),
        pool="warehouse_writer",
    )
    def _ingest(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
        landing_root = resolve_data_dir().landing
        with duckdb.get_connection() as con:
            report = load_object(con, source_object, landing_root)
        summary = report.summary()
        context.log.info(f"{source_object.raw_table}: {summary}")
        return dg.MaterializeResult(metadata={key: value for key, value in summary.items()})

    return _ingest


@dg.definitions
def ingest_definitions() -> dg.Definitions:
    return dg.Definitions(assets=[build_ingest_asset(source_object) for source_object in load_contract()])
