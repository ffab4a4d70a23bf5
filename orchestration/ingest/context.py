"""What a reader needs to know about the file it loads, and what it reports back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orchestration.contract import SourceObject
from orchestration.ingest.files import LandedFile
from orchestration.ingest.sql import literal


@dataclass(frozen=True)
class FileContext:
    """One load attempt of one file: the values stamped on every raw and quarantine row."""

    source_object: SourceObject
    file: LandedFile
    file_hash: str
    load_id: str
    loaded_at: datetime  # naive UTC

    @property
    def raw_table(self) -> str:
        return self.source_object.raw_table

    def raw_stamp_sql(self) -> str:
        """SELECT-list fragment with the metadata columns stamped on raw rows (except the line).

        Inlined as quoted literals rather than bound parameters: DuckDB treats them as constants
        then, which made a 10M-row insert about 30% faster in a measurement.
        """
        return (
            f"{literal(self.file.relative_path)} AS _source_file, {literal(self.file_hash)} AS _file_hash, "
            f"{literal(self.load_id)} AS _load_id, "
            f"TIMESTAMP {literal(self.loaded_at.isoformat(sep=' '))} AS _loaded_at"
        )

    @property
    def temp_prefix(self) -> str:
        """Prefix for this load's temporary tables, unique per load."""
        return f"_ingest_{self.load_id.replace('-', '')}"


@dataclass(frozen=True)
class LoadCounts:
    """Records that reached the raw table and records sent to quarantine."""

    rows_loaded: int
    rows_quarantined: int
    first_problem: str | None = None  # the first quarantine reason, for "nothing loaded" errors
