"""Resources every area uses: the DuckDB warehouse file and the dbt CLI, both under one data directory."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.dbt.project import dbt_cli_resource
from orchestration.runtime import configure_runtime_environment
from orchestration.settings import resolve_data_dir


@dg.definitions
def resources() -> dg.Definitions:
    paths = resolve_data_dir()
    configure_runtime_environment(paths)
    return dg.Definitions(
        resources={
            "duckdb": DuckDBResource(database=str(paths.warehouse)),
            "dbt": dbt_cli_resource(),
        }
    )
