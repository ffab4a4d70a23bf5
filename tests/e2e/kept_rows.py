"""Helpers for the tests of an incremental model that keeps rows and computes some again: build it
alone with dbt, and read which rows its newest build wrote (`refreshed_at`)."""

from __future__ import annotations

from datetime import datetime
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


def add_identity_version(data_dir: Path, table: str, person_id: str) -> datetime:
    """A new version of one of ``person_id``'s records, changed a second after ``table``'s watermark
    (its newest resolved_through), as identity resolution writes when it moves a record; returns
    the watermark, for remove_identity_versions_after."""
    with connect(data_dir) as con:
        (watermark,) = con.execute(f"select max(resolved_through) from {table}").fetchall()[0]
        con.execute(
            "insert into intermediate.int_person_record_versions "
            "select * replace (cast(? as timestamp) + interval 1 second as changed_at) "
            "from intermediate.int_person_record_versions where person_id = ? "
            "order by all limit 1",
            [watermark, person_id],
        )
    return watermark


def remove_identity_versions_after(data_dir: Path, watermark: datetime) -> None:
    """Takes out the versions add_identity_version wrote. No activity is resolved again in these
    tests (int_activities_resolved is not built), so the table's watermark stays before such a
    version, which would name its person in every later build."""
    with connect(data_dir) as con:
        con.execute("delete from intermediate.int_person_record_versions where changed_at > ?", [watermark])
