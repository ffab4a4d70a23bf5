"""Ingestion: landed extract files into raw DuckDB tables, with a load ledger and a quarantine.

Public API (the Dagster assets call these)::

    report = load_object(con, source_object, landing_root)  # raises IngestionError if a file failed
    ensure_meta_tables(con)                                  # meta.load_ledger, meta.quarantine
"""

from orchestration.ingest.errors import IngestionError
from orchestration.ingest.ledger import LEDGER_TABLE, ensure_meta_tables
from orchestration.ingest.loader import load_file, load_object
from orchestration.ingest.quarantine import QUARANTINE_TABLE
from orchestration.ingest.report import FileLoadResult, ObjectLoadReport

__all__ = [
    "LEDGER_TABLE",
    "QUARANTINE_TABLE",
    "FileLoadResult",
    "IngestionError",
    "ObjectLoadReport",
    "ensure_meta_tables",
    "load_file",
    "load_object",
]
