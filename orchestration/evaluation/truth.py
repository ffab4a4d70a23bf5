"""The generator's ground truth (<data>/truth), attached to a DuckDB connection as temporary views.

The views are temporary, so they work on a warehouse opened read-only and vanish with the
connection. Every column is read as text (``all_varchar``) and empty keys become NULL: a person
without a company has an empty ``true_account_key`` in the files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

# Temporary view names, used by the metric queries.
PERSON_RECORDS = "truth_person_records"
ACCOUNT_RECORDS = "truth_account_records"
PERSONS = "truth_persons"
ACCOUNTS = "truth_accounts"

TRUTH_FILES = ("person_records.csv", "account_records.csv", "persons.csv", "accounts.csv", "manifest.json")


class TruthError(RuntimeError):
    """The truth folder is missing or incomplete."""


@dataclass(frozen=True)
class TruthManifest:
    preset: str
    seed: int | None
    extract_date: str | None


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _reader(path: Path) -> str:
    return f"read_csv({_sql_path(path)}, header = true, all_varchar = true)"


def check_truth_dir(truth_dir: Path) -> None:
    missing = [name for name in TRUTH_FILES if not (truth_dir / name).is_file()]
    if missing:
        raise TruthError(
            f"ground truth incomplete in {truth_dir}: missing {', '.join(missing)} "
            "(written by `mqa generate`; evaluate a data directory the generator filled)"
        )


def read_manifest(truth_dir: Path) -> TruthManifest:
    path = truth_dir / "manifest.json"
    if not path.is_file():
        raise TruthError(f"ground truth manifest not found: {path} (run `mqa generate` first)")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return TruthManifest(
        preset=str(data.get("preset", "unknown")),
        seed=data.get("seed"),
        extract_date=data.get("extract_date"),
    )


def attach_truth(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> None:
    """Create the truth views (person and account record maps, persons, accounts) on ``con``."""
    check_truth_dir(truth_dir)
    con.execute(
        f"""
        create or replace temp view {PERSON_RECORDS} as
        select
            trim(source_system) as source_system,
            trim(source_object) as source_object,
            source_record_id,
            nullif(trim(true_person_key), '') as true_person_key
        from {_reader(truth_dir / "person_records.csv")}
        """
    )
    con.execute(
        f"""
        create or replace temp view {ACCOUNT_RECORDS} as
        select
            trim(source_system) as source_system,
            trim(source_object) as source_object,
            source_record_id,
            nullif(trim(true_account_key), '') as true_account_key
        from {_reader(truth_dir / "account_records.csv")}
        """
    )
    con.execute(
        f"""
        create or replace temp view {PERSONS} as
        select
            nullif(trim(true_person_key), '') as true_person_key,
            nullif(trim(true_account_key), '') as true_account_key,
            kind,
            nullif(lower(trim(email)), '') as email
        from {_reader(truth_dir / "persons.csv")}
        """
    )
    con.execute(
        f"""
        create or replace temp view {ACCOUNTS} as
        select nullif(trim(true_account_key), '') as true_account_key, name, lower(trim(domain)) as domain
        from {_reader(truth_dir / "accounts.csv")}
        """
    )
