"""The raw table of a source object: created on first load, widened when a file brings new columns.

DuckDB DDL is transactional, so widening happens inside the file's transaction and disappears with
it if the file fails.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from orchestration.contract import SourceObject
from orchestration.ingest.columns import METADATA_COLUMNS, MappedColumn
from orchestration.ingest.sql import DUCKDB_TYPES, ident, qualified


def ensure_raw_table(con: duckdb.DuckDBPyConnection, source_object: SourceObject) -> None:
    """Create the schema and the table (contract columns in their types, then metadata) if missing.

    A table created by an older contract is given the contract columns it lacks, so that a column
    added to the contract later is simply NULL for rows loaded before.
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {ident(source_object.schema)}").fetchall()
    columns = [(c.name, DUCKDB_TYPES[c.data_type]) for c in source_object.columns]
    columns += list(METADATA_COLUMNS.items())
    body = ", ".join(f"{ident(name)} {dtype}" for name, dtype in columns)
    con.execute(f"CREATE TABLE IF NOT EXISTS {qualified(source_object.raw_table)} ({body})").fetchall()
    add_columns(con, source_object.raw_table, columns)


def add_columns(con: duckdb.DuckDBPyConnection, raw_table: str, columns: Iterable[tuple[str, str]]) -> None:
    """Add the columns the table does not have yet (extras from a file land as VARCHAR)."""
    existing = existing_columns(con, raw_table)
    for name, dtype in columns:
        if name not in existing:
            con.execute(f"ALTER TABLE {qualified(raw_table)} ADD COLUMN {ident(name)} {dtype}").fetchall()
            existing.add(name)


def add_extra_columns(con: duckdb.DuckDBPyConnection, raw_table: str, mapped: list[MappedColumn]) -> None:
    """Keep a file's unknown columns: each becomes a VARCHAR column of the raw table."""
    add_columns(con, raw_table, [(c.name, "VARCHAR") for c in mapped if not c.declared])


def existing_columns(con: duckdb.DuckDBPyConnection, raw_table: str) -> set[str]:
    schema, table = raw_table.split(".", 1)
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return {row[0] for row in rows}
