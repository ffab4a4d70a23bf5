"""Fixtures for the identity evaluation tests: hand-made worlds opened as the command opens them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.evaluation.truth import attach_truth

from .worlds import HandWorld, build_world


@pytest.fixture
def open_world(tmp_path: Path) -> Iterator[Callable[[HandWorld], duckdb.DuckDBPyConnection]]:
    """Build a world, open its warehouse read-only (as the command does) with the truth attached."""
    connections: list[duckdb.DuckDBPyConnection] = []

    def _open(world: HandWorld) -> duckdb.DuckDBPyConnection:
        paths = build_world(tmp_path / f"world{len(connections)}", world)
        con = duckdb.connect(str(paths.warehouse), read_only=True)
        attach_truth(con, paths.truth)
        connections.append(con)
        return con

    yield _open
    for con in connections:
        con.close()
