"""Loading one source object: every new file, one transaction per file, a report at the end.

Per file: hash the content; skip it when the ledger already has that content loaded for this
object; otherwise, inside one transaction, widen the raw table if needed, insert the good records,
quarantine the bad ones and write the ledger row, then commit. Any failure rolls the whole file
back (raw rows, quarantine rows, new columns) and records the failed attempt in its own
transaction, so nothing already loaded is lost and no file is ever half loaded.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.contract import SourceObject
from orchestration.ingest import ledger
from orchestration.ingest.context import FileContext, LoadCounts
from orchestration.ingest.csv_reader import load_csv
from orchestration.ingest.errors import FileRejected, IngestionError
from orchestration.ingest.files import LandedFile, discover_files, sha256_file
from orchestration.ingest.jsonl_reader import load_jsonl
from orchestration.ingest.parquet_reader import load_parquet
from orchestration.ingest.raw_table import ensure_raw_table
from orchestration.ingest.report import FileLoadResult, ObjectLoadReport

Reader = Callable[[duckdb.DuckDBPyConnection, FileContext], LoadCounts]
READERS: dict[str, Reader] = {"csv": load_csv, "parquet": load_parquet, "jsonl": load_jsonl}


def utc_now() -> datetime:
    """Naive UTC timestamp: DuckDB TIMESTAMP columns carry no zone, and the warehouse speaks UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def load_object(
    con: duckdb.DuckDBPyConnection, source_object: SourceObject, landing_root: Path
) -> ObjectLoadReport:
    """Load every new file under ``landing_root / source_object.landing`` into its raw table.

    Files are taken in path order. Good files are committed one by one even when others fail;
    if any failed, IngestionError (carrying the report) is raised after all files were tried.
    The connection must not be inside a transaction: each file gets its own. The raw table is
    created even when no file has landed yet, so that the staging models over it always build.
    """
    landing_root = Path(landing_root)
    ledger.ensure_meta_tables(con)
    ensure_raw_table(con, source_object)
    report = ObjectLoadReport(source_object.system, source_object.name, source_object.raw_table)
    for file in discover_files(landing_root, source_object.landing):
        report.files.append(load_file(con, source_object, file))
    if report.files_failed:
        raise IngestionError(report)
    return report


def load_file(
    con: duckdb.DuckDBPyConnection, source_object: SourceObject, file: LandedFile
) -> FileLoadResult:
    """Load one file in its own transaction; never raises for a bad file, returns its result."""
    started_at = utc_now()
    load_id = str(uuid.uuid4())
    file_hash: str | None = None
    try:
        file_hash = sha256_file(file.path)
        earlier = ledger.find_loaded(con, source_object.system, source_object.name, file_hash)
        if earlier is not None:
            return FileLoadResult(file.relative_path, "skipped", file_hash, file.size, earlier)
        counts = _load_in_transaction(
            con, FileContext(source_object, file, file_hash, load_id, started_at), started_at
        )
    except Exception as exc:
        error = str(exc) if isinstance(exc, FileRejected) else f"{type(exc).__name__}: {exc}"
        _record_failure(con, source_object, file, file_hash, load_id, started_at, error)
        return FileLoadResult(file.relative_path, "failed", file_hash, file.size, load_id, error=error)
    return FileLoadResult(
        path=file.relative_path,
        status="loaded",
        file_hash=file_hash,
        size=file.size,
        load_id=load_id,
        rows_read=counts.rows_loaded + counts.rows_quarantined,
        rows_loaded=counts.rows_loaded,
        rows_quarantined=counts.rows_quarantined,
    )


def _load_in_transaction(
    con: duckdb.DuckDBPyConnection, ctx: FileContext, started_at: datetime
) -> LoadCounts:
    if ctx.file.format is None:
        raise FileRejected("unsupported file type: expected .csv, .csv.gz, .parquet, .jsonl or .ndjson")
    if ctx.file.size == 0:
        raise FileRejected("empty file (0 bytes)")
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        ensure_raw_table(con, ctx.source_object)
        counts = READERS[ctx.file.format](con, ctx)
        if counts.rows_loaded == 0:
            if counts.rows_quarantined == 0:
                raise FileRejected("no data rows")
            raise FileRejected(
                f"no record could be loaded: all {counts.rows_quarantined} record(s) are bad, "
                f"first at {counts.first_problem}"
            )
        ledger.record(con, _entry(ctx, "loaded", counts, None, started_at))
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise
    return counts


def _entry(
    ctx: FileContext, status: str, counts: LoadCounts, error: str | None, started_at: datetime
) -> ledger.LedgerEntry:
    return ledger.LedgerEntry(
        load_id=ctx.load_id,
        system=ctx.source_object.system,
        object=ctx.source_object.name,
        raw_table=ctx.raw_table,
        file_path=ctx.file.relative_path,
        file_format=ctx.file.format,
        file_size=ctx.file.size,
        file_hash=ctx.file_hash,
        status=status,
        rows_read=counts.rows_loaded + counts.rows_quarantined,
        rows_loaded=counts.rows_loaded,
        rows_quarantined=counts.rows_quarantined,
        error_message=error,
        started_at=started_at,
        finished_at=utc_now(),
    )


def _record_failure(
    con: duckdb.DuckDBPyConnection,
    source_object: SourceObject,
    file: LandedFile,
    file_hash: str | None,
    load_id: str,
    started_at: datetime,
    error: str,
) -> None:
    """The failed attempt, in its own (auto-committed) statement after the rollback."""
    ctx = FileContext(source_object, file, file_hash or "", load_id, started_at)
    entry = _entry(ctx, "failed", LoadCounts(0, 0), error, started_at)
    ledger.record(con, entry if file_hash else _without_hash(entry))


def _without_hash(entry: ledger.LedgerEntry) -> ledger.LedgerEntry:
    from dataclasses import replace

    return replace(entry, file_hash=None)
