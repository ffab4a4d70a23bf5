"""Hand-made worlds for the identity evaluation: tiny bridges and truth files, no generator.

A ``HandWorld`` lists the truth (persons with their account and email, which record belongs to
whom, which CRM account is which company) and what the warehouse predicted (the bridges,
dim_accounts). ``build_world`` writes it as a data directory: truth CSVs and manifest in
<root>/truth, the marts and the personal-domain seed in <root>/warehouse.duckdb.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.settings import DataPaths

Record = tuple[str, str, str]  # (source_system, source_object, source_record_id)

PERSONAL_DOMAINS = (("gmail.com", "free"), ("yahoo.com", "free"), ("mailinator.com", "disposable"))


@dataclass
class HandWorld:
    # true_person_key -> (true_account_key or None, email)
    persons: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    # truth: person record -> true_person_key
    person_records: dict[Record, str] = field(default_factory=dict)
    # truth: CRM account id -> true_account_key
    crm_accounts: dict[str, str] = field(default_factory=dict)
    # predicted: person record -> person_id
    bridge_persons: dict[Record, str | None] = field(default_factory=dict)
    # predicted: person record or ("crm", "account", id) -> account_id
    bridge_accounts: dict[Record, str | None] = field(default_factory=dict)
    # predicted: (account_id, primary_domain)
    dim_accounts: list[tuple[str, str | None]] = field(default_factory=list)
    personal_domains: tuple[tuple[str, str], ...] = PERSONAL_DOMAINS


def lead(record_id: str) -> Record:
    return ("crm", "lead", record_id)


def account(record_id: str) -> Record:
    return ("crm", "account", record_id)


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if value is None else value for value in row] for row in rows)


def build_world(root: Path, world: HandWorld, preset: str = "handmade", seed: int = 7) -> DataPaths:
    paths = DataPaths(root)
    paths.truth.mkdir(parents=True, exist_ok=True)
    _write_csv(
        paths.truth / "persons.csv",
        ["true_person_key", "true_account_key", "kind", "email"],
        [(key, acc, "employee" if acc else "student", email) for key, (acc, email) in world.persons.items()],
    )
    _write_csv(
        paths.truth / "person_records.csv",
        ["source_system", "source_object", "source_record_id", "true_person_key"],
        [(*record, key) for record, key in world.person_records.items()],
    )
    _write_csv(
        paths.truth / "account_records.csv",
        ["source_system", "source_object", "source_record_id", "true_account_key"],
        [(*account(crm_id), key) for crm_id, key in world.crm_accounts.items()]
        + [(*record, world.persons[key][0]) for record, key in world.person_records.items()],
    )
    _write_csv(
        paths.truth / "accounts.csv",
        ["true_account_key", "name", "domain"],
        [(key, key, f"{key.lower()}.example") for key in sorted(set(world.crm_accounts.values()))],
    )
    (paths.truth / "manifest.json").write_text(json.dumps({"preset": preset, "seed": seed}), encoding="utf-8")

    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema marts; create schema reference")
        con.execute(
            "create table marts.bridge_person_records (source_system varchar, source_object varchar, "
            "source_record_id varchar, person_id varchar, rule varchar)"
        )
        con.execute(
            "create table marts.bridge_account_records (source_system varchar, source_object varchar, "
            "source_record_id varchar, account_id varchar, rule varchar)"
        )
        con.execute(
            "create table marts.dim_accounts "
            "(account_id varchar, account_name varchar, primary_domain varchar)"
        )
        con.execute("create table marts.dim_persons (person_id varchar, account_id varchar)")
        con.execute("create table reference.personal_email_domains (domain varchar, kind varchar)")
        for record, person_id in world.bridge_persons.items():
            con.execute(
                "insert into marts.bridge_person_records values (?, ?, ?, ?, 'email')", [*record, person_id]
            )
        for record, account_id in world.bridge_accounts.items():
            con.execute(
                "insert into marts.bridge_account_records values (?, ?, ?, ?, 'domain')",
                [*record, account_id],
            )
        for account_id, domain in world.dim_accounts:
            con.execute("insert into marts.dim_accounts values (?, ?, ?)", [account_id, account_id, domain])
        con.executemany(
            "insert into reference.personal_email_domains values (?, ?)", list(world.personal_domains)
        )
    return paths
