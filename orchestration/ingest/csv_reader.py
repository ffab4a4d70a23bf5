"""CSV files: one DuckDB scan loads the good records and reports the bad ones.

The scan gives read_csv the declared type of every column, keyed by the file's own header names,
with ``ignore_errors`` and ``store_rejects``: values that do not cast and malformed records (too
many or too few fields, broken quoting, bad UTF-8) are skipped and reported with their byte
offset, column and text, while everything else is inserted set-based. Empty fields are NULL.

Line numbers: DuckDB reports no line for good records, so ``_source_line`` is computed in the same
scan as a running sum of physical lines per record (1 + newlines inside its quoted values), then
shifted past the quarantined records. Rejected records get their exact line from their byte
offset. (Blank lines in the middle of a file are not counted for good records: their
``_source_line`` is then too small by the number of blank lines above them.)
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import duckdb

from orchestration.ingest.columns import MappedColumn, map_columns
from orchestration.ingest.context import FileContext, LoadCounts
from orchestration.ingest.errors import FileRejected
from orchestration.ingest.files import LandedFile, line_numbers_at, open_content
from orchestration.ingest.quarantine import QuarantineRow, csv_reject_rule, insert_rows
from orchestration.ingest.raw_table import add_extra_columns
from orchestration.ingest.sql import ident, literal, qualified, struct_literal

HEADER_SNIFF_BYTES = 1024 * 1024
MAX_LINE_SIZE = 16 * 1024 * 1024


@dataclass(frozen=True)
class CsvHeader:
    names: list[str]
    lines: int  # physical lines the header record spans (more than 1 only with quoted newlines)


def parse_header(prefix: bytes, complete: bool) -> CsvHeader:
    """Parse the header record from the first bytes of the file.

    Rejects binary content and text that is not UTF-8 here, before DuckDB sees the file: such a
    file is unreadable as a whole, not a file with a few bad rows.

    >>> parse_header(b'\\xef\\xbb\\xbfId,"First Name"\\r\\n1,a\\r\\n', True)
    CsvHeader(names=['Id', 'First Name'], lines=1)
    """
    if b"\x00" in prefix:
        raise FileRejected("binary content (NUL bytes): not a CSV text file")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(prefix, final=complete)
    except UnicodeDecodeError as exc:
        raise FileRejected(f"not valid UTF-8 text (invalid byte at offset {exc.start})") from exc
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FileRejected("empty file: no header and no data rows")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        names = next(reader)
    except csv.Error as exc:
        raise FileRejected(f"unreadable CSV header: {exc}") from exc
    return CsvHeader(names=names, lines=reader.line_num)


def read_header(file: LandedFile) -> CsvHeader:
    with open_content(file.path) as handle:
        prefix = handle.read(HEADER_SNIFF_BYTES)
    return parse_header(prefix, complete=len(prefix) < HEADER_SNIFF_BYTES)


def _read_csv_sql(file: LandedFile, mapped: list[MappedColumn], rejects: str, scan: str) -> str:
    """The read_csv call: RFC 4180 dialect fixed (no sniffing), declared types by original name."""
    columns = struct_literal({c.original: c.duckdb_type for c in mapped})
    return (
        f"read_csv({literal(file.path)}, columns={columns}, header=true, auto_detect=false, "
        "delim=',', quote='\"', escape='\"', null_padding=false, strict_mode=true, "
        f"max_line_size={MAX_LINE_SIZE}, ignore_errors=true, store_rejects=true, "
        f"rejects_table={literal(rejects)}, rejects_scan={literal(scan)}, rejects_limit=0)"
    )


def _span_sql(mapped: list[MappedColumn]) -> str:
    """Physical lines of one record: 1 + the newlines inside its text values."""
    terms = [
        f"coalesce(length({ident(c.original)}) - length(replace({ident(c.original)}, chr(10), '')), 0)"
        for c in mapped
        if c.duckdb_type == "VARCHAR"
    ]
    return " + ".join(["1", *terms])


def load_csv(con: duckdb.DuckDBPyConnection, ctx: FileContext) -> LoadCounts:
    """Load one CSV file into the raw table and its bad records into the quarantine."""
    header = read_header(ctx.file)
    mapped = map_columns(header.names, ctx.source_object)
    add_extra_columns(con, ctx.raw_table, mapped)
    rejects, scan = f"{ctx.temp_prefix}_rejects", f"{ctx.temp_prefix}_scan"
    select = ", ".join(f"{ident(c.original)} AS {ident(c.name)}" for c in mapped)
    first_data_line = header.lines + 1
    loaded = con.execute(
        f"""
        INSERT INTO {qualified(ctx.raw_table)} BY NAME
        SELECT * EXCLUDE (_span),
            {first_data_line} + sum(_span) OVER (ROWS UNBOUNDED PRECEDING) - _span AS _source_line
        FROM (
            SELECT {select}, {_span_sql(mapped)} AS _span, {ctx.raw_stamp_sql()}
            FROM {_read_csv_sql(ctx.file, mapped, rejects, scan)}
        )
        """
    ).fetchall()[0][0]
    rows = _quarantine_rows(con, ctx, mapped, rejects)
    con.execute(f"DROP TABLE IF EXISTS {ident(rejects)}").fetchall()
    con.execute(f"DROP TABLE IF EXISTS {ident(scan)}").fetchall()
    insert_rows(con, ctx, rows)
    records = _rejected_records(rows)
    _shift_lines_past_rejects(con, ctx, records)
    return LoadCounts(
        rows_loaded=loaded,
        rows_quarantined=len(records),
        first_problem=f"line {rows[0].line_number}: {rows[0].rule}" if rows else None,
    )


def _quarantine_rows(
    con: duckdb.DuckDBPyConnection, ctx: FileContext, mapped: list[MappedColumn], rejects: str
) -> list[QuarantineRow]:
    rejected = con.execute(
        f"SELECT line_byte_position, column_name, error_type, csv_line, error_message "
        f"FROM {ident(rejects)} ORDER BY line_byte_position, column_idx"
    ).fetchall()
    if not rejected:
        return []
    with open_content(ctx.file.path) as handle:
        lines = line_numbers_at(handle, [r[0] for r in rejected])
    snake = {c.original: c.name for c in mapped}
    result = []
    field_count_errors_seen: set[int] = set()
    for offset, column, error_type, csv_line, message in rejected:
        name = snake.get(column) if column is not None else None
        if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
            name = None  # DuckDB names the column where it noticed, not a column at fault
            # DuckDB reports every surplus field of one record; the record is one problem.
            if offset in field_count_errors_seen:
                continue
            field_count_errors_seen.add(offset)
        ours, rule = csv_reject_rule(error_type, name, message)
        result.append(QuarantineRow(lines[offset], name, ours, rule, (csv_line or "").strip("\r\n")))
    return result


def _rejected_records(rows: list[QuarantineRow]) -> list[tuple[int, int]]:
    """(line, physical lines spanned) per rejected record; one record may have several errors."""
    spans: dict[int, int] = {}
    for row in rows:
        if row.line_number is not None:
            spans[row.line_number] = 1 + (row.raw_record or "").count("\n")
    return sorted(spans.items())


def shift_thresholds(records: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each rejected record, the provisional line from which good records move down, and by how much.

    Provisional lines number the good records as if rejected ones did not exist; the good record
    that followed a rejected record took its provisional line.

    >>> shift_thresholds([(4, 1), (6, 3)])
    [(4, 1), (5, 3)]
    """
    result, removed = [], 0
    for line, span in records:
        result.append((line - removed, span))
        removed += span
    return result


def _shift_lines_past_rejects(
    con: duckdb.DuckDBPyConnection, ctx: FileContext, records: list[tuple[int, int]]
) -> None:
    if not records:
        return
    thresholds = shift_thresholds(records)
    con.execute(
        f"""
        UPDATE {qualified(ctx.raw_table)} AS r
        SET _source_line = r._source_line + (
            SELECT sum(s.span) FROM (SELECT unnest(?::BIGINT[]) AS threshold, unnest(?::BIGINT[]) AS span) s
            WHERE s.threshold <= r._source_line
        )
        WHERE r._load_id = ? AND r._source_line >= ?
        """,
        [[t for t, _ in thresholds], [s for _, s in thresholds], ctx.load_id, thresholds[0][0]],
    ).fetchall()
