"""The quarantine: bad records with the rule they broke, kept beside the raw data for humans to fix.

Rule texts are built here so that every format words the same problem the same way, e.g.
``column number_of_employees: 'fifty' is not a valid BIGINT``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from orchestration.ingest.context import FileContext

QUARANTINE_TABLE = "meta.quarantine"

QUARANTINE_DDL = f"""
CREATE TABLE IF NOT EXISTS {QUARANTINE_TABLE} (
    load_id VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    object VARCHAR NOT NULL,
    raw_table VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    line_number BIGINT,
    column_name VARCHAR,
    error_type VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    raw_record VARCHAR,
    quarantined_at TIMESTAMP NOT NULL
)
"""

# The ingestion-side names of the problems (error_type column), stable for dashboards.
INVALID_VALUE = "invalid_value"
TOO_MANY_FIELDS = "too_many_fields"
TOO_FEW_FIELDS = "too_few_fields"
BROKEN_QUOTING = "broken_quoting"
INVALID_ENCODING = "invalid_encoding"
LINE_TOO_LONG = "line_too_long"
MALFORMED_JSON = "malformed_json"
NOT_AN_OBJECT = "not_a_json_object"
UNREADABLE = "unreadable_record"


@dataclass(frozen=True)
class QuarantineRow:
    line_number: int | None
    column_name: str | None
    error_type: str
    rule: str
    raw_record: str | None


def invalid_value_rule(column: str, value: str, duckdb_type: str) -> str:
    """The reason for a value that does not cast to its declared type.

    >>> invalid_value_rule("number_of_employees", "fifty", "BIGINT")
    "column number_of_employees: 'fifty' is not a valid BIGINT"
    """
    return f"column {column}: '{value}' is not a valid {duckdb_type}"


def invalid_value_rule_sql(column: str, value_sql: str, duckdb_type: str) -> str:
    """The same reason built in SQL, for set-based quarantining (Parquet, JSON lines)."""
    prefix = f"column {column}: '".replace("'", "''")
    suffix = f"' is not a valid {duckdb_type}".replace("'", "''")
    return f"'{prefix}' || CAST({value_sql} AS VARCHAR) || '{suffix}'"


_CAST_MESSAGE = re.compile(r'Could not convert string "(?P<value>.*)" to \'(?P<type>\w+)\'', re.DOTALL)
_COUNTS = re.compile(r"Expected Number of Columns: (?P<expected>\d+) Found: (?P<found>\d+)")


def csv_reject_rule(error_type: str, column: str | None, message: str) -> tuple[str, str]:
    """Translate one DuckDB CSV reject (error_type, column, message) to (our error_type, rule).

    >>> message = 'Could not convert string "fifty" to \\'BIGINT\\''
    >>> csv_reject_rule("CAST", "number_of_employees", message)
    ('invalid_value', "column number_of_employees: 'fifty' is not a valid BIGINT")
    >>> csv_reject_rule("TOO MANY COLUMNS", None, "Expected Number of Columns: 5 Found: 6")
    ('too_many_fields', 'too many fields: expected 5, found 6')
    """
    if error_type == "CAST" and (match := _CAST_MESSAGE.search(message)):
        return INVALID_VALUE, invalid_value_rule(column or "?", match["value"], match["type"])
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        kind, ours = (
            ("many", TOO_MANY_FIELDS) if error_type == "TOO MANY COLUMNS" else ("few", TOO_FEW_FIELDS)
        )
        if match := _COUNTS.search(message):
            return ours, f"too {kind} fields: expected {match['expected']}, found {match['found']}"
        return ours, f"too {kind} fields: {message}"
    if error_type == "UNQUOTED VALUE":
        where = f" in column {column}" if column else ""
        return (
            BROKEN_QUOTING,
            f"broken quoting{where}: a quoted value is not closed or has text after its closing quote",
        )
    if error_type == "INVALID ENCODING":
        return INVALID_ENCODING, "not valid UTF-8 text"
    if error_type == "LINE SIZE OVER MAXIMUM":
        return LINE_TOO_LONG, f"record longer than the maximum line size: {message}"
    return UNREADABLE, f"{error_type.lower()}: {message}"


def insert_rows(con: duckdb.DuckDBPyConnection, ctx: FileContext, rows: Sequence[QuarantineRow]) -> None:
    """Insert quarantine rows computed in Python (CSV rejects) in one statement, lists unnested."""
    if not rows:
        return
    con.execute(
        f"""
        INSERT INTO {QUARANTINE_TABLE} BY NAME
        SELECT {stamp_columns_sql()},
            unnest(?::BIGINT[]) AS line_number, unnest(?::VARCHAR[]) AS column_name,
            unnest(?::VARCHAR[]) AS error_type, unnest(?::VARCHAR[]) AS rule,
            unnest(?::VARCHAR[]) AS raw_record
        """,
        [
            *stamp_params(ctx),
            [r.line_number for r in rows],
            [r.column_name for r in rows],
            [r.error_type for r in rows],
            [r.rule for r in rows],
            [r.raw_record for r in rows],
        ],
    ).fetchall()


def stamp_columns_sql() -> str:
    """SELECT-list fragment stamping the per-load values (7 parameters, bound by stamp_params)."""
    return (
        "? AS load_id, ? AS system, ? AS object, ? AS raw_table, ? AS file_path, ? AS file_hash, "
        "?::TIMESTAMP AS quarantined_at"
    )


def stamp_params(ctx: FileContext) -> list[object]:
    return [
        ctx.load_id,
        ctx.source_object.system,
        ctx.source_object.name,
        ctx.raw_table,
        ctx.file.relative_path,
        ctx.file_hash,
        ctx.loaded_at,
    ]
