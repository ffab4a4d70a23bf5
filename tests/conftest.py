"""Shared fixtures: the dbt manifest is prepared once, as `make install` does."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")


@pytest.fixture(scope="session")
def dbt_manifest_ready() -> None:
    """Make sure dbt_project/target/manifest.json exists before definitions are loaded."""
    from orchestration.defs.dbt.project import dbt_project, prepare_manifest

    if not dbt_project().manifest_path.exists():
        prepare_manifest()
