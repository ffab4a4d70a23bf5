"""The two failures ingestion distinguishes.

``FileRejected`` is internal: one file cannot be loaded at all (unreadable, empty, a required
column missing, ...). The loader rolls that file back, records the failed attempt and moves on to
the next file. ``IngestionError`` is what callers see once every file of an object has been tried:
the good files are committed, and the message names each failed file and why, so that a Dagster
run fails loudly without losing the work that succeeded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orchestration.ingest.report import ObjectLoadReport


class FileRejected(Exception):
    """One file cannot be loaded; the message says which rule it broke (and which column)."""


class IngestionError(Exception):
    """At least one file of a source object failed; carries the full report of the call."""

    def __init__(self, report: ObjectLoadReport) -> None:
        self.report = report
        failed = [f for f in report.files if f.status == "failed"]
        lines = [f"{report.raw_table}: {len(failed)} of {report.files_seen} file(s) failed to load:"]
        lines += [f"  - {f.path}: {f.error}" for f in failed]
        super().__init__("\n".join(lines))
