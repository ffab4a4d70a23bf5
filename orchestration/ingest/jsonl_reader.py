"""JSON lines: each physical line is read as text first, so that a malformed line is quarantined
with its line number instead of being silently dropped (read_json's ignore_errors drops it) or
failing the whole file.

Keys are taken from every valid object in the file (a key appearing only late is still kept);
values are extracted as text in one JSON parse per line, then checked against the contract types.
Blank lines are skipped. ``_source_line`` is the physical line number.
"""

from __future__ import annotations

import duckdb

from orchestration.ingest.checked_insert import SourceField, insert_checked
from orchestration.ingest.columns import map_columns
from orchestration.ingest.context import FileContext, LoadCounts
from orchestration.ingest.errors import FileRejected
from orchestration.ingest.quarantine import (
    MALFORMED_JSON,
    NOT_AN_OBJECT,
    QUARANTINE_TABLE,
    stamp_columns_sql,
    stamp_params,
)
from orchestration.ingest.raw_table import add_extra_columns
from orchestration.ingest.sql import ident, literal

MAX_LINE_SIZE = 16 * 1024 * 1024
# No delimiter: JSON text never holds a raw U+0001 (control characters must be escaped).
_LINES_SQL = (
    "read_csv({path}, columns={{'line': 'VARCHAR'}}, header=false, auto_detect=false, "
    "delim='\x01', quote='', escape='', strict_mode=false, max_line_size=" + str(MAX_LINE_SIZE) + ")"
)
_IS_RECORD = "(line IS NOT NULL AND trim(line) <> '')"
_IS_OBJECT = "(json_valid(line) AND starts_with(ltrim(line), '{'))"


def json_path(key: str) -> str:
    """A JSON path selecting one top-level key, whatever characters it holds.

    >>> json_path('First "Name"')
    '$."First \\\\"Name\\\\""'
    """
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_jsonl(con: duckdb.DuckDBPyConnection, ctx: FileContext) -> LoadCounts:
    """Load one JSON-lines file into the raw table and its bad lines into the quarantine."""
    lines, staged = f"{ctx.temp_prefix}_lines", f"{ctx.temp_prefix}_staged"
    try:
        con.execute(
            f"CREATE TEMP TABLE {ident(lines)} AS SELECT row_number() OVER () AS line_number, line "
            f"FROM {_LINES_SQL.format(path=literal(ctx.file.path))}"
        ).fetchall()
    except duckdb.Error as exc:
        raise FileRejected(f"unreadable as JSON lines text: {str(exc).splitlines()[0]}") from exc
    malformed = con.execute(
        f"""
        INSERT INTO {QUARANTINE_TABLE} BY NAME
        SELECT {stamp_columns_sql()}, line_number, NULL AS column_name,
            CASE WHEN json_valid(line) THEN '{NOT_AN_OBJECT}' ELSE '{MALFORMED_JSON}' END AS error_type,
            CASE WHEN json_valid(line) THEN 'the line is valid JSON but not an object'
                 ELSE 'malformed JSON' END AS rule,
            line AS raw_record
        FROM {ident(lines)} WHERE {_IS_RECORD} AND NOT {_IS_OBJECT}
        """,
        stamp_params(ctx),
    ).fetchall()[0][0]
    keys = [
        row[0]
        for row in con.execute(
            f"SELECT key FROM (SELECT unnest(json_keys(line)) AS key, line_number FROM {ident(lines)} "
            f"WHERE {_IS_RECORD} AND {_IS_OBJECT}) GROUP BY key ORDER BY min(line_number), key"
        ).fetchall()
    ]
    if not keys:
        con.execute(f"DROP TABLE {ident(lines)}").fetchall()
        detail = f" ({malformed} malformed line(s))" if malformed else ""
        raise FileRejected(f"no JSON object with any field in the file{detail}")
    mapped = map_columns(keys, ctx.source_object)
    add_extra_columns(con, ctx.raw_table, mapped)
    paths = "[" + ", ".join(literal(json_path(k)) for k in keys) + "]"
    con.execute(
        f"CREATE TEMP TABLE {ident(staged)} AS SELECT line_number, line, "
        f"json_extract_string(line, {paths}) AS _v FROM {ident(lines)} WHERE {_IS_RECORD} AND {_IS_OBJECT}"
    ).fetchall()
    con.execute(f"DROP TABLE {ident(lines)}").fetchall()
    fields = [SourceField(c, f"_v[{i}]", "VARCHAR") for i, c in enumerate(mapped, start=1)]
    counts = insert_checked(
        con, ctx, fields, source_sql=ident(staged), line_expr="line_number", record_expr="line"
    )
    con.execute(f"DROP TABLE {ident(staged)}").fetchall()
    first_problem = counts.first_problem
    if malformed and first_problem is None:
        first_problem = "malformed JSON lines"
    return LoadCounts(counts.rows_loaded, counts.rows_quarantined + malformed, first_problem)
