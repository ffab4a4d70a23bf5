"""Where runtime files live: one data directory holds landing, truth, warehouse, logs and Dagster state.

Resolved from, in order: an explicit argument (the ``--data-dir`` flag), the ``MQA_DATA_DIR``
environment variable, ``./data``. Paths are always absolute: DuckDB and dbt resolve relative
paths against their own working directory, which is not ours.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "MQA_DATA_DIR"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class DataPaths:
    """The runtime layout under one data directory."""

    root: Path

    @property
    def landing(self) -> Path:
        """Extract files arrive here, one folder per source system and object."""
        return self.root / "landing"

    @property
    def truth(self) -> Path:
        """The generator's ground truth; the warehouse never reads it."""
        return self.root / "truth"

    @property
    def warehouse(self) -> Path:
        """The DuckDB file."""
        return self.root / "warehouse.duckdb"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def dbt_target(self) -> Path:
        """dbt's artefacts for runs against this warehouse: the parse state they start from and one
        folder per dbt invocation (run_results.json, logs, compiled SQL)."""
        return self.root / "dbt_target"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    """Return the data layout for the flag value, else the environment, else ``./data``."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV) or "data"
    return DataPaths(Path(chosen).expanduser().resolve())
