"""One translator from dbt nodes to Dagster asset keys and groups.

Sources map to the keys ingestion writes (raw/<system>/<object>) so the graph joins without
any model name written in Python (a source written by a Python asset declares its key in
meta.dagster.asset_key); models are grouped by their top folder (staging,
intermediate, marts) and keep their model name as key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from orchestration.defs.asset_keys import raw_asset_key


def group_for_node(node: Mapping[str, Any]) -> str | None:
    """The Dagster group for a dbt node: the model's first folder under models/, seeds in 'reference'."""
    resource_type = node.get("resource_type")
    if resource_type == "seed":
        return "reference"
    if resource_type == "source":
        return "raw"
    fqn = node.get("fqn") or []
    # fqn = [project, folder, ..., name]; a model at the models/ root has no folder.
    return fqn[1] if len(fqn) > 2 else None


class WarehouseTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        declared = ((dbt_resource_props.get("meta") or {}).get("dagster") or {}).get("asset_key")
        if dbt_resource_props.get("resource_type") == "source" and declared:
            # A table written by a Python asset (e.g. the learning challenger) declares its key.
            return dg.AssetKey(declared)
        if dbt_resource_props.get("resource_type") == "source":
            return raw_asset_key(dbt_resource_props["source_name"], dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return group_for_node(dbt_resource_props)
