"""The Dagster code location: everything under ``orchestration/defs``.

Started by ``dagster dev -m orchestration.definitions`` (``make ui``) and by ``mqa run``.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
