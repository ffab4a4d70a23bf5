"""End to end: `mqa evaluate identity --json` on the small preset after `mqa generate` and `mqa run` (a
copy of the session's built small world, tests/e2e/conftest.py; `--preset small` would do those two
steps itself) times the identity rebuild and evaluates the real marts. The figures themselves are the
identity models' business; this checks that the command measures what the generator wrote (record
counts from the truth files)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .cli import mqa

pytestmark = pytest.mark.e2e


def test_evaluate_identity_small_preset(tmp_path: Path, copy_small_world: Callable[[Path], Path]) -> None:
    data_dir = copy_small_world(tmp_path)
    completed = mqa(data_dir, "evaluate", "identity", "--json")
    assert completed.returncode == 0, completed.stderr[-4000:]
    document = json.loads(completed.stdout)  # progress went to stderr: stdout is the JSON alone
    with (data_dir / "truth" / "person_records.csv").open(encoding="utf-8") as handle:
        truth_records = sum(1 for _ in csv.DictReader(handle))
    persons = document["persons"]
    assert document["preset"] == "small"
    assert persons["records_compared"] + persons["truth_only_records"] == truth_records
    assert 0.0 <= persons["precision"] <= 1.0 and 0.0 <= persons["recall"] <= 1.0
    assert document["timing"]["success"] is True and document["timing"]["models"] > 0
    assert {target["key"] for target in document["targets"]} == {
        "person_precision",
        "person_recall",
        "account_assignment_business_email",
        "free_mail_account_domains",
    }
