"""Wall time of rebuilding the identity models alone: `dbt run --select tag:identity`.

Runs the venv's dbt in a subprocess with the runtime environment of the data directory (the
warehouse path in MQA_DUCKDB_PATH, logs, telemetry off). dbt writes its artefacts to a target
folder under the data directory's logs, so a concurrent `dbt` in dbt_project/target is not
disturbed. The measured figure is the command's wall time (dbt start-up and parse included);
dbt's own elapsed time from run_results.json is reported beside it.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.runtime import configure_runtime_environment, venv_bin_dir
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, DataPaths

IDENTITY_SELECTOR = "tag:identity"
OUTPUT_TAIL_LINES = 30


@dataclass(frozen=True)
class RebuildTiming:
    seconds: float
    success: bool
    models: int
    dbt_elapsed_seconds: float | None
    message: str


def target_path(paths: DataPaths) -> Path:
    return paths.logs / "evaluate" / "dbt_target"


def identity_rebuild_command(paths: DataPaths) -> list[str]:
    return [
        str(venv_bin_dir() / "dbt"),
        "run",
        "--select",
        IDENTITY_SELECTOR,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path(paths)),
    ]


def summarise_run_results(run_results: dict[str, Any] | None) -> tuple[int, float | None]:
    """(models run, dbt's elapsed seconds) from a run_results.json document."""
    if not run_results:
        return 0, None
    results = run_results.get("results") or []
    models = sum(1 for result in results if str(result.get("unique_id", "")).startswith("model."))
    elapsed = run_results.get("elapsed_time")
    return models, float(elapsed) if elapsed is not None else None


def _read_run_results(path: Path, started_at: float) -> dict[str, Any] | None:
    # A run_results.json older than this run belongs to an earlier one (dbt failed before writing).
    if not path.is_file() or path.stat().st_mtime < started_at:
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def time_identity_rebuild(paths: DataPaths) -> RebuildTiming:
    """Run `dbt run --select tag:identity` against the data directory's warehouse and time it."""
    configure_runtime_environment(paths)
    command = identity_rebuild_command(paths)
    wall_started = time.time()
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    models, elapsed = summarise_run_results(
        _read_run_results(target_path(paths) / "run_results.json", wall_started)
    )
    output = (completed.stdout + completed.stderr).strip().splitlines()
    if completed.returncode != 0:
        tail = "\n".join(output[-OUTPUT_TAIL_LINES:])
        message = f"dbt run --select {IDENTITY_SELECTOR} failed (exit {completed.returncode}):\n{tail}"
    elif models == 0:
        message = f"no model selected by {IDENTITY_SELECTOR}: nothing was rebuilt"
    else:
        message = f"{models} identity models rebuilt"
    return RebuildTiming(
        seconds=seconds,
        success=completed.returncode == 0 and models > 0,
        models=models,
        dbt_elapsed_seconds=elapsed,
        message=message,
    )
