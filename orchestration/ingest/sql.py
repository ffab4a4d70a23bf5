"""Tiny SQL-text helpers: identifiers and literals that come from files must be quoted, never pasted."""

from __future__ import annotations

from pathlib import Path

# Contract data_type -> DuckDB type name.
DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}


def ident(name: str) -> str:
    """Quote an identifier (column names come from file headers and may hold anything).

    >>> print(ident('a"b'))
    "a""b"
    """
    return '"' + name.replace('"', '""') + '"'


def literal(value: str | Path) -> str:
    """Quote a string literal, for the places DuckDB takes no parameters (table-function args).

    >>> literal("it's")
    "'it''s'"
    """
    return "'" + str(value).replace("'", "''") + "'"


def qualified(table: str) -> str:
    """Quote ``schema.table`` part by part.

    >>> qualified("raw.crm__lead")
    '"raw"."crm__lead"'
    """
    return ".".join(ident(part) for part in table.split("."))


def struct_literal(mapping: dict[str, str]) -> str:
    """A DuckDB struct literal of string values, e.g. read_csv's ``columns`` argument.

    >>> struct_literal({"Id": "VARCHAR", "It's": "BIGINT"})
    "{'Id': 'VARCHAR', 'It''s': 'BIGINT'}"
    """
    return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in mapping.items()) + "}"
