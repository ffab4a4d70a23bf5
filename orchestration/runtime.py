"""The process environment a run needs: where dbt finds the warehouse, logs go, and telemetry stays off.

dbt reads the warehouse path from ``MQA_DUCKDB_PATH`` (see dbt_project/profiles.yml); the network is
closed, so anonymous usage statistics are switched off rather than left to time out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from orchestration.settings import DataPaths


def venv_bin_dir() -> Path:
    """The folder of this interpreter's console scripts (dbt, dagster), which may not be on PATH."""
    return Path(sys.executable).parent


def ensure_tools_on_path() -> None:
    """Put this environment's scripts first on PATH: dagster-dbt runs `dbt` by name in places."""
    bin_dir = str(venv_bin_dir())
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bin_dir not in parts:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *parts])


def runtime_environment(paths: DataPaths) -> dict[str, str]:
    """The environment variables a run needs for this data directory (pure: no side effects)."""
    return {
        "MQA_DATA_DIR": str(paths.root),
        "MQA_DUCKDB_PATH": str(paths.warehouse),
        "DBT_LOG_PATH": str(paths.logs / "dbt"),
        # dagster-dbt puts each invocation's target folder here and starts it from the parse state
        # found here (see orchestration/defs/dbt/project.py, ensure_parse_state).
        "DBT_TARGET_PATH": str(paths.dbt_target),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DAGSTER_HOME": str(paths.dagster_home),
        "DAGSTER_DISABLE_TELEMETRY": "true",
    }


DAGSTER_INSTANCE_YAML = """\
# Written by `mqa`: one run at a time, since DuckDB allows one writing process per file.
run_queue:
  max_concurrent_runs: 1
telemetry:
  enabled: false
"""


def configure_runtime_environment(paths: DataPaths) -> None:
    """Create the data directory layout and export the run environment into this process."""
    for folder in (paths.root, paths.landing, paths.logs, paths.dagster_home):
        folder.mkdir(parents=True, exist_ok=True)
    instance_yaml = paths.dagster_home / "dagster.yaml"
    if not instance_yaml.exists():
        instance_yaml.write_text(DAGSTER_INSTANCE_YAML, encoding="utf-8")
    os.environ.update(runtime_environment(paths))
    ensure_tools_on_path()
