"""Matching a file's column names to the contract: the one place header rules are decided.

Pure logic, no I/O: given the names as they appear in a file, decide the snake_case name and the
type of every column, or reject the file with a message naming the column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orchestration.contract import SourceObject
from orchestration.ingest.errors import FileRejected
from orchestration.ingest.sql import DUCKDB_TYPES
from orchestration.naming import to_snake_case

# Added by ingestion to every raw row; a file must not bring its own.
METADATA_COLUMNS: dict[str, str] = {
    "_source_file": "VARCHAR",
    "_source_line": "BIGINT",
    "_file_hash": "VARCHAR",
    "_load_id": "VARCHAR",
    "_loaded_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class MappedColumn:
    """One column of a file: its name in the file, its raw-table name and the type it lands as."""

    original: str
    name: str
    duckdb_type: str
    declared: bool  # False for extra columns the contract does not know (kept as VARCHAR)


def map_columns(original_names: Sequence[str], source_object: SourceObject) -> list[MappedColumn]:
    """Fold the file's names to snake_case and type them from the contract.

    Raises FileRejected when a name is empty, two names fold to the same snake_case name, a name
    collides with ingestion metadata, or a required contract column is missing.

    >>> from orchestration.contract import get_source_object
    >>> cols = map_columns(["Id", "Name", "CreatedDate", "SystemModstamp", "Foo__c"],
    ...                    get_source_object("crm", "account"))
    >>> [(c.name, c.duckdb_type, c.declared) for c in cols][-2:]
    [('system_modstamp', 'TIMESTAMP', True), ('foo_c', 'VARCHAR', False)]
    """
    declared = source_object.column_types
    mapped: list[MappedColumn] = []
    seen: dict[str, str] = {}
    for position, original in enumerate(original_names, start=1):
        name = to_snake_case(original)
        if not name:
            raise FileRejected(f"column {position} has an empty name ({original!r})")
        if name in seen:
            raise FileRejected(
                f"columns {seen[name]!r} and {original!r} both normalise to {name!r}; "
                "a file must name each column once"
            )
        if name in METADATA_COLUMNS:
            raise FileRejected(f"column {original!r} collides with the ingestion metadata column {name!r}")
        seen[name] = original
        data_type = declared.get(name)
        mapped.append(
            MappedColumn(
                original=original,
                name=name,
                duckdb_type=DUCKDB_TYPES[data_type] if data_type else "VARCHAR",
                declared=data_type is not None,
            )
        )
    missing = [c for c in source_object.required_columns if c not in seen]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise FileRejected(f"required column{plural} {', '.join(missing)} missing from the file")
    return mapped
