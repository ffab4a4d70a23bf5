"""Helpers for the tests of an incremental model that keeps rows and computes some again: build it
alone with dbt, and read which rows its newest build wrote (`refreshed_at`)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .cli import dbt


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(data_dir / "warehouse.duckdb"))


def build_model(data_dir: Path, work_dir: Path, table: str, full_refresh: bool = False) -> None:
    """`dbt run` of the model behind ``table`` (schema.model) alone, incrementally unless told."""
    refresh = ("--full-refresh",) if full_refresh else ()
    dbt(data_dir, work_dir, "run", *refresh, "--select", table.split(".")[1])


def keys_of_newest_build(data_dir: Path, table: str, key: str) -> set[str]:
    """The ``key`` of the rows the newest build of ``table`` wrote: those with its largest
    refreshed_at; none when every row carries one (the build wrote nothing, or everything)."""
    with connect(data_dir) as con:
        (builds,) = con.execute(f"select count(distinct refreshed_at) from {table}").fetchall()[0]
        if builds == 1:
            return set()
        newest = f"(select max(refreshed_at) from {table})"
        rows = con.execute(f"select {key} from {table} where refreshed_at = {newest}")
        return {value for (value,) in rows.fetchall()}
