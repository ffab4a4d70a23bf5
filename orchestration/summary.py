"""What a run left in the warehouse, as rows for the command line to print."""

from __future__ import annotations

import duckdb

from orchestration.contract import load_contract


def _count(con: duckdb.DuckDBPyConnection, relation: str) -> int | None:
    try:
        return con.execute(f"select count(*) from {relation}").fetchall()[0][0]
    except duckdb.CatalogException:
        return None


def _staging_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'staging' order by table_name"
    ).fetchall()
    return [row[0] for row in rows]


def warehouse_summary(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, int | None]]]:
    """Row counts of raw tables, quarantine and ledger, and every staging model."""
    raw = [(obj.raw_table, _count(con, obj.raw_table)) for obj in load_contract()]
    bookkeeping = [
        ("meta.load_ledger (files loaded)", _count(con, "meta.load_ledger where status = 'loaded'")),
        ("meta.load_ledger (files failed)", _count(con, "meta.load_ledger where status = 'failed'")),
        ("meta.quarantine (rows)", _count(con, "meta.quarantine")),
    ]
    staging = [(f"staging.{name}", _count(con, f"staging.{name}")) for name in _staging_models(con)]
    return {"raw": raw, "ingestion": bookkeeping, "staging": staging}


def format_summary(sections: dict[str, list[tuple[str, int | None]]]) -> str:
    """A plain-text table per section, counts right-aligned."""
    lines: list[str] = []
    for title, rows in sections.items():
        lines.append(f"\n{title}")
        width = max((len(name) for name, _ in rows), default=10)
        for name, count in rows:
            shown = "missing" if count is None else f"{count:,}"
            lines.append(f"  {name.ljust(width)}  {shown:>12}")
    return "\n".join(lines)
