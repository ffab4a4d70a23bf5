"""Parquet files: the schema comes from the file, values are checked against the contract types.

``_source_line`` is the record's 1-based ordinal in the file (``file_row_number + 1``).
"""

from __future__ import annotations

import duckdb

from orchestration.ingest.checked_insert import SourceField, insert_checked
from orchestration.ingest.columns import map_columns
from orchestration.ingest.context import FileContext, LoadCounts
from orchestration.ingest.errors import FileRejected
from orchestration.ingest.raw_table import add_extra_columns
from orchestration.ingest.sql import ident, literal


def load_parquet(con: duckdb.DuckDBPyConnection, ctx: FileContext) -> LoadCounts:
    """Load one Parquet file into the raw table and its bad records into the quarantine."""
    path = literal(ctx.file.path)
    try:
        schema = con.execute(f"DESCRIBE SELECT * FROM read_parquet({path})").fetchall()
    except duckdb.Error as exc:
        raise FileRejected(f"not a readable Parquet file: {str(exc).splitlines()[0]}") from exc
    names = [row[0] for row in schema]
    mapped = map_columns(names, ctx.source_object)
    add_extra_columns(con, ctx.raw_table, mapped)
    types = {row[0]: row[1] for row in schema}
    fields = [SourceField(c, ident(c.original), types[c.original]) for c in mapped]
    record = "to_json(struct_pack(" + ", ".join(f"{ident(n)} := {ident(n)}" for n in names) + "))"
    return insert_checked(
        con,
        ctx,
        fields,
        source_sql=f"read_parquet({path}, file_row_number=true)",
        line_expr="file_row_number + 1",
        record_expr=record,
    )
