"""Every dbt model, seed and test as Dagster assets and asset checks, built with `dbt build`.

Two dbt steps: the models that read a table written by a Python asset (the learning challenger's
predictions, dbt source `learning`) are built after it, everything else before. One multi-asset
would be both upstream and downstream of the challenger, a cycle Dagster cannot order.
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.dbt.project import dbt_project
from orchestration.defs.dbt.translator import WarehouseTranslator

AFTER_PYTHON_ASSETS = "source:learning+"


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=WarehouseTranslator(),
    exclude=AFTER_PYTHON_ASSETS,
    pool="warehouse_writer",
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=WarehouseTranslator(),
    select=AFTER_PYTHON_ASSETS,
    name="warehouse_dbt_validation_assets",
    pool="warehouse_writer",
)
def warehouse_dbt_validation_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    yield from dbt.cli(["build"], context=context).stream()
