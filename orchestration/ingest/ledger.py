"""The load ledger (and the creation of both bookkeeping tables): how it is read and written.

The ledger is what makes re-delivery a no-op: a file whose content hash was already loaded for the
same object is skipped, whatever its name. Failed attempts are recorded too (status ``failed``)
but never count as loaded, so a fixed file re-delivered later loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from orchestration.ingest.quarantine import QUARANTINE_DDL

LEDGER_TABLE = "meta.load_ledger"

_LEDGER_DDL = f"""
CREATE TABLE IF NOT EXISTS {LEDGER_TABLE} (
    load_id VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    object VARCHAR NOT NULL,
    raw_table VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    file_format VARCHAR,
    file_size BIGINT,
    file_hash VARCHAR,
    status VARCHAR NOT NULL,
    rows_read BIGINT,
    rows_loaded BIGINT,
    rows_quarantined BIGINT,
    error_message VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL
)
"""


def ensure_meta_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``meta`` with the load ledger and the quarantine table; safe to call any time."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta").fetchall()
    con.execute(_LEDGER_DDL).fetchall()
    con.execute(QUARANTINE_DDL).fetchall()


@dataclass(frozen=True)
class LedgerEntry:
    """One attempt to load one file, as written to ``meta.load_ledger``."""

    load_id: str
    system: str
    object: str
    raw_table: str
    file_path: str
    file_format: str | None
    file_size: int
    file_hash: str | None
    status: str  # "loaded" or "failed"
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    error_message: str | None
    started_at: datetime
    finished_at: datetime


def find_loaded(con: duckdb.DuckDBPyConnection, system: str, object_name: str, file_hash: str) -> str | None:
    """The load_id that already loaded this content for this object, or None."""
    rows = con.execute(
        f"SELECT load_id FROM {LEDGER_TABLE} WHERE system = ? AND object = ? AND file_hash = ? "
        "AND status = 'loaded' ORDER BY finished_at LIMIT 1",
        [system, object_name, file_hash],
    ).fetchall()
    return rows[0][0] if rows else None


def record(con: duckdb.DuckDBPyConnection, entry: LedgerEntry) -> None:
    """Append one ledger row (inside the caller's transaction when there is one)."""
    fields = list(LedgerEntry.__dataclass_fields__)
    con.execute(
        f"INSERT INTO {LEDGER_TABLE} ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
        [getattr(entry, f) for f in fields],
    ).fetchall()
