"""A bad edit to a feedback seed fails the build with a test named after the seed, column and rule."""

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


def edit_targets(project: Path, old: str, new: str) -> None:
    """Replace one line fragment of mql_acceptance_targets.csv, failing loudly if it is not there."""
    targets = project.parent / "seeds" / "feedback" / "mql_acceptance_targets.csv"
    text = targets.read_text()
    assert old in text, f"{old!r} not in the shipped seed: update the test"
    targets.write_text(text.replace(old, new))


def build_seeds(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Load the feedback seeds and scoring_models (their relationships parent) and run their tests."""
    monkeypatch.setenv("MQA_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    args = ["build", "--select", "path:../seeds/feedback scoring_models"]
    # only the tests whose every parent is a selected seed (reasons are checked against models later)
    args += ["--indirect-selection", "cautious"]
    args += ["--project-dir", str(project), "--profiles-dir", str(project)]
    args += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"), "--quiet"]
    result = dbt_main.dbtRunner().invoke(args)
    assert result.result is not None, result.exception
    names = [r.node.name for r in result.result]
    # the seeds and their tests really ran, the model-to-model relationship included
    assert {"mql_acceptance_targets", "rejection_reason_actions", "scoring_models"} <= set(names)
    assert any(name.startswith("relationships_mql_acceptance_targets_model_id") for name in names)
    return [r.node.name for r in result.result if str(r.status) in ("fail", "error")]


def test_shipped_feedback_seeds_pass_their_tests(project_copy, tmp_path, monkeypatch):
    assert build_seeds(project_copy, tmp_path, monkeypatch) == []


def test_a_min_acceptance_rate_above_the_max_fails_naming_seed_and_column(
    project_copy, tmp_path, monkeypatch
):
    edit_targets(project_copy, "core,0.6,0.8,", "core,0.9,0.8,")
    failures = build_seeds(project_copy, tmp_path, monkeypatch)
    assert len(failures) == 1
    assert failures[0].startswith("expression_is_true_mql_acceptance_targets_min_acceptance_rate")


def test_a_rate_above_one_fails_naming_seed_and_column(project_copy, tmp_path, monkeypatch):
    edit_targets(project_copy, "emea,0.6,0.8,", "emea,0.6,80,")
    failures = build_seeds(project_copy, tmp_path, monkeypatch)
    assert len(failures) == 1
    assert failures[0].startswith("accepted_range_mql_acceptance_targets_max_acceptance_rate")


def test_an_unknown_model_id_fails(project_copy, tmp_path, monkeypatch):
    edit_targets(project_copy, "emea,0.6,0.8,", "apac,0.6,0.8,")
    failures = build_seeds(project_copy, tmp_path, monkeypatch)
    assert len(failures) == 1
    assert failures[0].startswith("relationships_mql_acceptance_targets_model_id")
