"""Asset keys shared by ingestion assets and dbt sources, so the graph joins without names in Python."""

from __future__ import annotations

import dagster as dg

RAW_PREFIX = "raw"


def raw_asset_key(system: str, object_name: str) -> dg.AssetKey:
    """The key of the raw table an ingestion asset writes and a dbt source reads: raw/<system>/<object>."""
    return dg.AssetKey([RAW_PREFIX, system, object_name])
