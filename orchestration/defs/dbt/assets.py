"""Every dbt model, seed and test as Dagster assets and asset checks, built with `dbt build`."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.dbt.project import dbt_project
from orchestration.defs.dbt.translator import WarehouseTranslator


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=WarehouseTranslator(),
    pool="warehouse_writer",
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    yield from dbt.cli(["build"], context=context).stream()
