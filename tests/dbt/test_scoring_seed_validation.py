"""A bad edit to a scoring seed fails the build with a message naming the seed, column and rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT

dbt_main = pytest.importorskip("dbt.cli.main")

pytestmark = pytest.mark.e2e


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The dbt project and its seeds side by side in a temporary folder (seed-paths is ../seeds)."""
    shutil.copytree(
        DBT_PROJECT_DIR, tmp_path / "dbt_project", ignore=shutil.ignore_patterns("target", "logs")
    )
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "dbt_project"


def build_seeds(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return list(seed_test_failures(project, tmp_path, monkeypatch))


def seed_test_failures(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The scoring seeds' tests that fail or error, each with the number of rows it returned."""
    monkeypatch.setenv("MQA_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    args = ["build", "--select", "path:../seeds/scoring canonical_event_types"]
    # only the tests whose every parent is a selected seed (rule attributes are checked against models later)
    args += ["--indirect-selection", "cautious", "--exclude", "test_name:relationships"]
    args += ["--project-dir", str(project), "--profiles-dir", str(project)]
    args += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"), "--quiet"]
    result = dbt_main.dbtRunner().invoke(args)
    assert result.result is not None, result.exception
    assert len(result.result) > 20  # the seeds and their tests really ran
    return {r.node.name: r.failures for r in (result.result or []) if str(r.status) in ("fail", "error")}


def test_shipped_scoring_seeds_pass_their_tests(project_copy, tmp_path, monkeypatch):
    assert build_seeds(project_copy, tmp_path, monkeypatch) == []


def test_an_unknown_operator_fails_naming_seed_and_column(project_copy, tmp_path, monkeypatch):
    rules = project_copy.parent / "seeds" / "scoring" / "fit_rules.csv"
    rules.write_text(
        rules.read_text().replace("person.seniority,equals,Student", "person.seniority,equalz,Student")
    )
    failures = build_seeds(project_copy, tmp_path, monkeypatch)
    assert len(failures) == 1
    assert failures[0].startswith("accepted_values_fit_rules_operator")


def test_a_cap_without_its_window_fails(project_copy, tmp_path, monkeypatch):
    rules = project_copy.parent / "seeds" / "scoring" / "interest_rules.csv"
    rules.write_text(
        rules.read_text().replace("core,pricing_page_visit,10,14,30,30", "core,pricing_page_visit,10,14,30,")
    )
    failures = build_seeds(project_copy, tmp_path, monkeypatch)
    assert failures
    assert all(name.startswith("expression_is_true_interest_rules") for name in failures)


def test_repeated_rule_keys_fail_the_combination_test_once_per_key(project_copy, tmp_path, monkeypatch):
    """Two (model_id, rule_id) keys repeated, one of them three times: two duplicated keys."""
    rules = project_copy.parent / "seeds" / "scoring" / "fit_rules.csv"
    lines = rules.read_text().splitlines()
    first, second = lines[1], lines[2]  # two rules of model core
    extra = [first.replace(",25,", ",24,"), first.replace(",25,", ",23,"), second.replace(",10,", ",9,")]
    rules.write_text("\n".join(lines + extra) + "\n")
    failures = seed_test_failures(project_copy, tmp_path, monkeypatch)
    combination = [name for name in failures if name.startswith("unique_combination_of_columns_fit_rules")]
    assert len(combination) == 1
    assert failures[combination[0]] == 2


def test_a_repeated_model_id_fails_unique_and_blank_ones_only_not_null(project_copy, tmp_path, monkeypatch):
    """dbt's `unique` (a hash first on DuckDB, macros/duplicate_keys.sql) reports one repeated value
    and leaves nulls to not_null: two blank model ids are not a duplicate."""
    models = project_copy.parent / "seeds" / "scoring" / "scoring_models.csv"
    lines = models.read_text().splitlines()
    emea = next(line for line in lines if line.startswith("emea,"))
    models.write_text("\n".join([*lines, "core" + emea[len("emea") :]]) + "\n")
    failures = seed_test_failures(project_copy, tmp_path, monkeypatch)
    assert failures.get("unique_scoring_models_model_id") == 1

    models.write_text("\n".join([*lines, emea[len("emea") :], emea[len("emea") :]]) + "\n")
    failures = seed_test_failures(project_copy, tmp_path / "blank", monkeypatch)
    assert "unique_scoring_models_model_id" not in failures
    assert failures.get("not_null_scoring_models_model_id") == 2
