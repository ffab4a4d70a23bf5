"""Run the `mqa` command line in a child process, as a user would, on one data directory; or dbt
itself on a data directory's warehouse, in this process (an independent route from the Dagster job)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def mqa(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def dbt_result(warehouse: Path, work_dir: Path, *args: str):
    """`dbt <args>` on the project and ``warehouse``, in this process; dbt's result, whatever it is."""
    from dbt.cli.main import dbtRunner

    from orchestration.settings import DBT_PROJECT_DIR

    command = [*args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    command += ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"), "--quiet"]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MQA_DUCKDB_PATH", str(warehouse))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        return dbtRunner().invoke(command)


def dbt(data_dir: Path, work_dir: Path, *args: str) -> None:
    """`dbt <args>` on the project and the data directory's warehouse, in this process; fails the
    test with dbt's messages unless every node passed."""
    result = dbt_result(data_dir / "warehouse.duckdb", work_dir, *args)
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) not in ("pass", "success")
    ]
    assert result.success, f"dbt {' '.join(args)}: {result.exception or chr(10).join(failures)}"
