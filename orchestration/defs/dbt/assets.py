"""Every dbt model, seed and test as Dagster assets and asset checks, built with `dbt build`.

Three dbt steps, so that Python work can sit between them:

1. the staging tables (and their tests), which the data-quality gates (great-expectations suites,
   blocking asset checks in defs/quality) validate before anything is built from them;
2. everything else except (3): seeds, identity, activity, scoring, accounts, learning features;
3. the models that read a table written by a Python asset (the learning challenger's predictions,
   dbt source `learning`). One multi-asset would be both upstream and downstream of the
   challenger, a cycle Dagster cannot order.

A blocking gate that fails stops steps 2 and 3: the marts keep their last good state.

dbt unit tests check SQL logic on fixed inputs, not data: they run in `make test` (a full
`dbt build` on hand-made rows, tests/dbt) and are left out of the scheduled runs, as dbt advises
for production, so a daily run spends its time on the day's data.
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.dbt.project import dbt_project
from orchestration.defs.dbt.translator import WarehouseTranslator

STAGING = "path:models/staging"
BUILD = ["build", "--exclude-resource-type", "unit_test"]
AFTER_PYTHON_ASSETS = "source:learning+"


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=WarehouseTranslator(),
    select=STAGING,
    name="warehouse_dbt_staging_assets",
    pool="warehouse_writer",
)
def warehouse_dbt_staging_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    # Only the tests whose every parent is a staging model: a test that also reads a mart runs with
    # the marts, after the gates.
    yield from dbt.cli([*BUILD, "--indirect-selection", "cautious"], context=context).stream()


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=WarehouseTranslator(),
    exclude=f"{STAGING} {AFTER_PYTHON_ASSETS}",
    pool="warehouse_writer",
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    yield from dbt.cli(BUILD, context=context).stream()


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=WarehouseTranslator(),
    select=AFTER_PYTHON_ASSETS,
    name="warehouse_dbt_validation_assets",
    pool="warehouse_writer",
)
def warehouse_dbt_validation_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    yield from dbt.cli(BUILD, context=context).stream()
