"""Small helpers shared by the ingestion tests."""

from __future__ import annotations

from pathlib import Path

import duckdb


def write(root: Path, relative: str, content: str | bytes) -> Path:
    """Write a landed file byte for byte (no newline translation)."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        rows(
            con,
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        )
    )


def snapshot(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """Whole table content in a stable order, for before/after comparisons."""
    return sorted(rows(con, f"SELECT * FROM {table}"), key=repr)
