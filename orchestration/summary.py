"""What a run left in the warehouse, as rows for the command line to print."""

from __future__ import annotations

import duckdb

from orchestration.contract import load_contract

Section = list[tuple[str, str]]


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int | None:
    """One number, or None when the relation does not exist yet (nothing was run)."""
    try:
        return con.execute(sql).fetchall()[0][0]
    except duckdb.CatalogException:
        return None


def _shown(count: int | None) -> str:
    return "missing" if count is None else f"{count:,}"


def raw_section(con: duckdb.DuckDBPyConnection) -> Section:
    return [
        (obj.raw_table, _shown(_scalar(con, f"select count(*) from {obj.raw_table}")))
        for obj in load_contract()
    ]


def ingestion_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows: Section = []
    for status in ("loaded", "failed"):
        count = _scalar(con, f"select count(*) from meta.load_ledger where status = '{status}'")
        rows.append((f"files {status} (meta.load_ledger)", _shown(count)))
    try:
        reasons = con.execute(
            "select error_type, count(*) from meta.quarantine group by all order by all"
        ).fetchall()
    except duckdb.CatalogException:
        reasons = []
    total = sum(count for _, count in reasons)
    rows.append(("problems quarantined (meta.quarantine)", _shown(total)))
    rows += [(f"  {error_type}", _shown(count)) for error_type, count in reasons]
    return rows


def schema_section(con: duckdb.DuckDBPyConnection, schema: str) -> Section:
    """Row count of every table and view the dbt project built in one schema."""
    models = con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by table_name",
        [schema],
    ).fetchall()
    return [
        (f"{schema}.{name}", _shown(_scalar(con, f"select count(*) from {schema}.{name}")))
        for (name,) in models
    ]


def routes_section(con: duckdb.DuckDBPyConnection) -> Section:
    """People per scoring model and route on the latest scoring date (empty before scoring ran)."""
    try:
        rows = con.execute(
            "select model_id, route, count(*) from marts.fct_person_scores group by all order by all"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    return [(f"{model_id}: {route}", _shown(count)) for model_id, route, count in rows]


def top_mqas_section(con: duckdb.DuckDBPyConnection, limit: int = 5) -> Section:
    """The most likely Marketing Qualified Accounts per model on the latest date, with their reasons."""
    try:
        rows = con.execute(
            "select model_id, coalesce(account_name, account_id), likelihood, reasons from ("
            "  select scores.*, accounts.account_name, row_number() over ("
            "    partition by scores.model_id order by scores.likelihood desc, scores.account_id) as rank"
            "  from marts.fct_account_scores as scores"
            "  left join marts.dim_accounts as accounts on scores.account_id = accounts.account_id"
            "  where scores.is_mqa"
            ") where rank <= ? order by model_id, likelihood desc",
            [limit],
        ).fetchall()
    except duckdb.CatalogException:
        return []
    section: Section = []
    for model_id, account, likelihood, reasons in rows:
        section.append((f"{model_id}: {account}", f"{likelihood:.2f}"))
        section.append((f"    {reasons}", ""))
    return section


def warehouse_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Section]:
    """Row counts of raw tables, the ingestion ledger and quarantine, staging models and marts."""
    return {
        "raw tables (every delivered version)": raw_section(con),
        "ingestion": ingestion_section(con),
        "staging (latest version per record)": schema_section(con, "staging"),
        "marts": schema_section(con, "marts"),
        "people per scoring model and route": routes_section(con),
        "top Marketing Qualified Accounts (likelihood) and why": top_mqas_section(con),
    }


def format_summary(sections: dict[str, Section]) -> str:
    """A plain-text table per section, values right-aligned in one column; rows without a value
    (explanations) are printed as they are."""
    width = max((len(name) for rows in sections.values() for name, value in rows if value), default=10)
    lines: list[str] = []
    for title, rows in sections.items():
        lines.append(f"\n{title}")
        lines += [f"  {name.ljust(width)}  {value:>12}" if value else f"  {name}" for name, value in rows]
    return "\n".join(lines)
