"""Finding landed files, telling their format, hashing them, mapping byte offsets to line numbers.

Everything here streams: extracts can be several gigabytes, so nothing reads a whole file into
memory.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 8 * 1024 * 1024

# Suffix (lower case) -> format. Longest suffixes first so ".csv.gz" wins over ".gz".
_FORMATS: tuple[tuple[str, str], ...] = (
    (".csv.gz", "csv"),
    (".jsonl.gz", "jsonl"),
    (".ndjson.gz", "jsonl"),
    (".csv", "csv"),
    (".parquet", "parquet"),
    (".pq", "parquet"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
)

# Files that are not deliveries: hidden files, Hadoop/Spark markers (_SUCCESS), writes in flight.
_IN_FLIGHT_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload")


@dataclass(frozen=True)
class LandedFile:
    """One file under an object's landing folder."""

    path: Path
    relative_path: str  # relative to the landing root, POSIX separators: stable across machines
    format: str | None  # "csv", "parquet", "jsonl" or None when the extension is not supported
    size: int

    @property
    def compressed(self) -> bool:
        return self.path.name.lower().endswith(".gz")


def detect_format(name: str) -> str | None:
    """Format from the file name, or None when unsupported.

    >>> detect_format("Lead_2025-03-04.CSV"), detect_format("x.csv.gz"), detect_format("x.ndjson")
    ('csv', 'csv', 'jsonl')
    >>> detect_format("notes.xlsx") is None
    True
    """
    lowered = name.lower()
    for suffix, fmt in _FORMATS:
        if lowered.endswith(suffix):
            return fmt
    return None


def is_delivery(name: str) -> bool:
    """False for files that are not extracts: hidden files, ``_SUCCESS`` markers, partial writes.

    >>> [is_delivery(n) for n in ["a.csv", ".DS_Store", "_SUCCESS", "a.csv.part"]]
    [True, False, False, False]
    """
    return not (name.startswith((".", "_")) or name.lower().endswith(_IN_FLIGHT_SUFFIXES))


def discover_files(landing_root: Path, landing: str) -> list[LandedFile]:
    """Every delivery under ``landing_root / landing``, recursively, sorted by relative path.

    Sorting makes the load order (and so ``_load_id`` order and line of the ledger) deterministic.
    A missing folder simply means nothing has landed yet.
    """
    folder = landing_root / landing
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or not is_delivery(path.name):
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts[:-1]):
            continue
        found.append(
            LandedFile(
                path=path,
                relative_path=path.relative_to(landing_root).as_posix(),
                format=detect_format(path.name),
                size=path.stat().st_size,
            )
        )
    return sorted(found, key=lambda f: f.relative_path)


def sha256_file(path: Path) -> str:
    """Content hash of the file as delivered (compressed bytes for .gz), streamed in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def open_content(path: Path) -> BinaryIO:
    """The file's content as bytes, decompressed when it is gzipped (DuckDB's offsets are too)."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def line_numbers_at(handle: BinaryIO, offsets: Iterable[int]) -> dict[int, int]:
    """Map byte offsets to 1-based line numbers, streaming once through the content.

    DuckDB reports where a rejected CSV record starts as a byte offset that may point at the end of
    the previous line or at blank lines before the record; the run of CR/LF bytes at the offset is
    skipped so the number is the line where the record's first character is.

    >>> import io
    >>> line_numbers_at(io.BytesIO(b"h\\r\\na\\r\\n\\r\\nb\\n"), [3, 6])
    {3: 2, 6: 4}
    """
    result: dict[int, int] = {}
    buffer = b""
    buffer_start = 0  # absolute offset of buffer[0]
    position = 0  # every newline before this absolute offset has been counted
    newlines = 0

    def available(absolute: int) -> bool:
        nonlocal buffer, buffer_start
        while absolute >= buffer_start + len(buffer):
            chunk = handle.read(CHUNK_SIZE)
            if not chunk:
                return False
            buffer = buffer[position - buffer_start :] + chunk
            buffer_start = position
        return True

    for offset in sorted(set(offsets)):
        while position < offset and available(position):
            end = min(offset, buffer_start + len(buffer))
            newlines += buffer.count(b"\n", position - buffer_start, end - buffer_start)
            position = end
        skipped_newlines = 0
        cursor = offset
        while available(cursor) and buffer[cursor - buffer_start] in (10, 13):
            skipped_newlines += buffer[cursor - buffer_start] == 10
            cursor += 1
        result[offset] = newlines + skipped_newlines + 1
    return result
