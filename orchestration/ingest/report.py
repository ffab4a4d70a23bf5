"""What one ``load_object`` call did, per file and in total, in a JSON-friendly shape for Dagster."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class FileLoadResult:
    """The outcome for one landed file."""

    path: str  # relative to the landing root
    status: str  # "loaded", "skipped" (content already loaded) or "failed"
    file_hash: str | None = None
    size: int = 0
    load_id: str | None = None  # for skipped files: the load that loaded this content before
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None


@dataclass
class ObjectLoadReport:
    """Everything one call did for one source object."""

    system: str
    object: str
    raw_table: str
    files: list[FileLoadResult] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def files_seen(self) -> int:
        return len(self.files)

    @property
    def files_loaded(self) -> int:
        return self._count("loaded")

    @property
    def files_skipped(self) -> int:
        return self._count("skipped")

    @property
    def files_failed(self) -> int:
        return self._count("failed")

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def failed(self) -> list[FileLoadResult]:
        return [f for f in self.files if f.status == "failed"]

    def summary(self) -> dict[str, Any]:
        """Plain JSON-serialisable dict (Dagster metadata, logs)."""
        return {
            "system": self.system,
            "object": self.object,
            "raw_table": self.raw_table,
            "files_seen": self.files_seen,
            "files_loaded": self.files_loaded,
            "files_skipped": self.files_skipped,
            "files_failed": self.files_failed,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "files": [asdict(f) for f in self.files],
        }
