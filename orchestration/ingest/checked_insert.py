"""Typed loading for formats that carry their own types or none (Parquet, JSON lines).

Each column gets a conversion to its declared type and, when the conversion can fail, a TRY_CAST
predicate. Failing records are quarantined (one quarantine row per bad value) and the others are
inserted, all set-based. Columns whose source type already is the declared type, or converts
losslessly, get no predicate at all, so a well-typed Parquet file is a plain INSERT ... SELECT.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from orchestration.ingest.columns import MappedColumn
from orchestration.ingest.context import FileContext, LoadCounts
from orchestration.ingest.quarantine import (
    INVALID_VALUE,
    QUARANTINE_TABLE,
    invalid_value_rule_sql,
    stamp_columns_sql,
    stamp_params,
)
from orchestration.ingest.sql import ident, literal, qualified

_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
_LOSSLESS: dict[str, set[str]] = {
    "BIGINT": _INTEGERS,
    "DOUBLE": _INTEGERS | {"FLOAT", "UBIGINT", "HUGEINT"},
    "TIMESTAMP": {"DATE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"},
    "DATE": set(),
    "BOOLEAN": set(),
}


@dataclass(frozen=True)
class SourceField:
    """One column of the staged relation: how to read it and what type it has there."""

    column: MappedColumn
    expr: str
    source_type: str


@dataclass(frozen=True)
class Conversion:
    value: str  # the converted value, in the declared type
    failed: str | None  # predicate true when a non-null source value does not convert
    source_value: str  # the value as found, for the quarantine rule


def conversion(field: SourceField) -> Conversion:
    """How one source column becomes its declared type.

    >>> from orchestration.ingest.columns import MappedColumn
    >>> c = MappedColumn("NumberOfEmployees", "number_of_employees", "BIGINT", True)
    >>> conversion(SourceField(c, '"NumberOfEmployees"', "INTEGER")).failed is None
    True
    >>> conversion(SourceField(c, "v", "VARCHAR")).failed
    "(NULLIF(v, '') IS NOT NULL AND TRY_CAST(NULLIF(v, '') AS BIGINT) IS NULL)"
    """
    target, source = field.column.duckdb_type, field.source_type.upper()
    expr = field.expr
    if source == target:
        return Conversion(expr, None, expr)
    if target == "VARCHAR":
        return Conversion(f"CAST({expr} AS VARCHAR)", None, expr)
    if target == "TIMESTAMP" and source == "TIMESTAMP WITH TIME ZONE":
        return Conversion(f"timezone('UTC', {expr})", None, expr)
    if source in _LOSSLESS.get(target, set()):
        return Conversion(f"CAST({expr} AS {target})", None, expr)
    value = f"NULLIF({expr}, '')" if source == "VARCHAR" else expr
    converted = f"TRY_CAST({value} AS {target})"
    return Conversion(converted, f"({value} IS NOT NULL AND {converted} IS NULL)", value)


def insert_checked(
    con: duckdb.DuckDBPyConnection,
    ctx: FileContext,
    fields: list[SourceField],
    source_sql: str,
    line_expr: str,
    record_expr: str,
) -> LoadCounts:
    """Quarantine the records with values that do not convert, insert the rest into the raw table."""
    conversions = [(f, conversion(f)) for f in fields]
    checked = [(f, c) for f, c in conversions if c.failed is not None]
    quarantined, first_problem, where_good = 0, None, ""
    if checked:
        any_failed = " OR ".join(str(c.failed) for _, c in checked)
        bad = f"{ctx.temp_prefix}_bad"
        flags = ", ".join(
            f"{c.failed} AS _f{i}, CAST({c.source_value} AS VARCHAR) AS _v{i}"
            for i, (_, c) in enumerate(checked)
        )
        con.execute(
            f"CREATE TEMP TABLE {ident(bad)} AS SELECT {line_expr} AS line_number, "
            f"{record_expr} AS raw_record, {flags} FROM {source_sql} WHERE {any_failed}"
        ).fetchall()
        per_column = " UNION ALL ".join(
            f"SELECT line_number, {literal(f.column.name)} AS column_name, "
            f"{invalid_value_rule_sql(f.column.name, f'_v{i}', f.column.duckdb_type)} AS rule, raw_record "
            f"FROM {ident(bad)} WHERE _f{i}"
            for i, (f, _) in enumerate(checked)
        )
        con.execute(
            f"""
            INSERT INTO {QUARANTINE_TABLE} BY NAME
            SELECT {stamp_columns_sql()}, line_number, column_name, '{INVALID_VALUE}' AS error_type,
                rule, raw_record
            FROM ({per_column})
            """,
            stamp_params(ctx),
        ).fetchall()
        quarantined = con.execute(f"SELECT count(*) FROM {ident(bad)}").fetchall()[0][0]
        if quarantined:
            first = con.execute(
                f"SELECT line_number, rule FROM {QUARANTINE_TABLE} WHERE load_id = ? "
                "ORDER BY line_number, column_name LIMIT 1",
                [ctx.load_id],
            ).fetchall()[0]
            first_problem = f"line {first[0]}: {first[1]}"
        con.execute(f"DROP TABLE {ident(bad)}").fetchall()
        where_good = f"WHERE NOT ({any_failed})"
    select = ", ".join(f"{c.value} AS {ident(f.column.name)}" for f, c in conversions)
    loaded = con.execute(
        f"""
        INSERT INTO {qualified(ctx.raw_table)} BY NAME
        SELECT {select}, {line_expr} AS _source_line, {ctx.raw_stamp_sql()}
        FROM {source_sql} {where_good}
        """
    ).fetchall()[0][0]
    return LoadCounts(rows_loaded=loaded, rows_quarantined=quarantined, first_problem=first_problem)
