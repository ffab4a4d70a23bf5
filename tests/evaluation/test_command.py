"""The whole evaluation on a hand-made data directory: evaluate_identity, the report, the JSON, the
CLI (`mqa evaluate identity --no-time`), missing inputs, the preset guard and the timing helpers."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from orchestration.cli import main
from orchestration.evaluation import evaluate_identity, format_identity_report, identity_report_json
from orchestration.evaluation.identity import MissingRelationError
from orchestration.evaluation.report import all_targets_met, target_results
from orchestration.evaluation.runner import clear_world, preset_conflict
from orchestration.evaluation.timing import RebuildTiming, identity_rebuild_command, summarise_run_results
from orchestration.evaluation.truth import TruthError
from orchestration.settings import DataPaths

from .worlds import HandWorld, account, build_world, lead


def good_world() -> HandWorld:
    """Two people at one company, perfectly resolved: every target met."""
    world = HandWorld(
        persons={"X": ("C1", "x@one.example"), "Y": ("C1", "y@one.example")},
        person_records={lead("x1"): "X", lead("x2"): "X", lead("y1"): "Y"},
        crm_accounts={"acc1": "C1"},
        dim_accounts=[("A1", "one.example")],
    )
    world.bridge_persons = {lead("x1"): "P1", lead("x2"): "P1", lead("y1"): "P2"}
    world.bridge_accounts = {account("acc1"): "A1", lead("x1"): "A1", lead("x2"): "A1", lead("y1"): "A1"}
    return world


def bad_world() -> HandWorld:
    """X and Y merged into one person; an account on gmail.com: precision and free-mail targets missed."""
    world = good_world()
    world.bridge_persons = {lead("x1"): "P1", lead("x2"): "P1", lead("y1"): "P1"}
    world.dim_accounts.append(("A2", "gmail.com"))
    return world


def test_evaluate_identity_on_a_good_world(tmp_path: Path) -> None:
    paths = build_world(tmp_path / "data", good_world(), preset="small", seed=42)
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        evaluation = evaluate_identity(con, paths.truth)
    assert (evaluation.preset, evaluation.seed, evaluation.timing) == ("small", 42, None)
    # pairs: truth {x1,x2},{y1} = 1 pair; predicted the same -> 1/1
    assert (evaluation.persons.precision, evaluation.persons.recall) == (1.0, 1.0)
    assert evaluation.accounts.business_email_share == 1.0
    assert evaluation.merges.persons_across_true_persons == 0
    assert evaluation.free_mail.accounts == 0
    assert all_targets_met(evaluation)
    report = format_identity_report(evaluation)
    assert "preset small, seed 42" in report
    assert "MISSED" not in report
    assert "Targets met: 4 of 4" in report
    assert "not measured (--no-time)" in report


def test_report_flags_missed_targets(tmp_path: Path) -> None:
    paths = build_world(tmp_path / "data", bad_world())
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        evaluation = evaluate_identity(con, paths.truth)
    # predicted {x1,x2,y1}: 3 predicted pairs, TP 1 -> precision 1/3; recall 1/1
    met = {result.key: result.met for result in target_results(evaluation)}
    assert met == {
        "person_precision": False,
        "person_recall": True,
        "account_assignment_business_email": True,
        "free_mail_account_domains": False,
    }
    report = format_identity_report(evaluation)
    assert report.count("MISSED") == 2
    assert "gmail.com (1)" in report
    assert "Targets met: 2 of 4" in report
    document = json.loads(identity_report_json(evaluation))
    assert document["persons"]["precision"] == pytest.approx(1 / 3)
    assert document["merges"]["persons_across_true_persons"] == 1
    assert document["all_targets_met"] is False


def test_report_shows_rebuild_time() -> None:
    timing = RebuildTiming(
        seconds=12.34, success=True, models=9, dbt_elapsed_seconds=10.0, message="9 models"
    )
    evaluation_report = _report_with_timing(timing)
    assert "12.3s" in evaluation_report and "dbt elapsed 10.0s" in evaluation_report
    failed = RebuildTiming(
        seconds=1.0, success=False, models=0, dbt_elapsed_seconds=None, message="dbt broke"
    )
    assert "FAILED" in _report_with_timing(failed) and "dbt broke" in _report_with_timing(failed)


def _report_with_timing(timing: RebuildTiming) -> str:
    from dataclasses import replace

    from orchestration.evaluation.identity import (
        AccountAssignment,
        FreeMailDomains,
        IdentityEvaluation,
        PersonClustering,
        WrongMerges,
    )

    evaluation = IdentityEvaluation(
        preset="small",
        seed=42,
        persons=PersonClustering(0, 0, 0, 0, 1.0, 1.0, 0, 0, 0, 0, 0, ()),
        accounts=AccountAssignment(0, 0, None, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, 0),
        merges=WrongMerges(0, 0, 0),
        free_mail=FreeMailDomains(0, ()),
    )
    return format_identity_report(replace(evaluation, timing=timing))


def test_cli_json_without_timing(tmp_path: Path) -> None:
    paths = build_world(tmp_path / "data", good_world(), preset="small", seed=42)
    result = CliRunner().invoke(
        main, ["--data-dir", str(paths.root), "evaluate", "identity", "--no-time", "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["preset"] == "small"
    assert document["timing"] is None
    assert document["all_targets_met"] is True
    assert [t["key"] for t in document["targets"]] == [
        "person_precision",
        "person_recall",
        "account_assignment_business_email",
        "free_mail_account_domains",
    ]


def test_cli_strict_exits_one_on_a_missed_target(tmp_path: Path) -> None:
    paths = build_world(tmp_path / "data", bad_world())
    args = ["--data-dir", str(paths.root), "evaluate", "identity", "--no-time"]
    assert CliRunner().invoke(main, args).exit_code == 0
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "MISSED" in strict.stdout


def test_cli_without_a_warehouse_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--data-dir", str(tmp_path / "empty"), "evaluate", "identity", "--no-time"]
    )
    assert result.exit_code == 1
    assert "no warehouse" in result.output


def test_missing_mart_is_named(tmp_path: Path) -> None:
    paths = build_world(tmp_path / "data", good_world())
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("drop table marts.bridge_account_records")
        con.execute("alter table marts.dim_accounts drop column primary_domain")
    with (
        duckdb.connect(str(paths.warehouse), read_only=True) as con,
        pytest.raises(MissingRelationError) as error,
    ):
        evaluate_identity(con, paths.truth)
    assert "marts.bridge_account_records does not exist" in str(error.value)
    assert "marts.dim_accounts lacks column(s) primary_domain" in str(error.value)


def test_missing_truth_file_is_named(tmp_path: Path) -> None:
    paths = build_world(tmp_path / "data", good_world())
    (paths.truth / "persons.csv").unlink()
    with (
        duckdb.connect(str(paths.warehouse), read_only=True) as con,
        pytest.raises(TruthError, match=r"persons\.csv"),
    ):
        evaluate_identity(con, paths.truth)


def test_preset_guard(tmp_path: Path) -> None:
    empty = DataPaths(tmp_path / "empty")
    assert preset_conflict(empty, "small", 42) is None
    paths = build_world(tmp_path / "data", good_world(), preset="small", seed=42)
    assert preset_conflict(paths, "small", 42) is None  # same files again: the ledger skips them
    conflict = preset_conflict(paths, "medium", 42)
    assert conflict is not None and "preset 'small' (seed 42)" in conflict and "--replace" in conflict
    assert preset_conflict(paths, "small", 7) is not None
    clear_world(paths)
    assert not paths.warehouse.exists() and not paths.truth.exists()
    assert preset_conflict(paths, "medium", 42) is None


def test_rebuild_command_and_run_results(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    command = identity_rebuild_command(paths)
    assert command[0].endswith("dbt") and command[1:4] == ["run", "--select", "tag:identity"]
    assert "--project-dir" in command and "--profiles-dir" in command
    assert command[command.index("--target-path") + 1].startswith(str(paths.root))
    run_results = {
        "elapsed_time": 3.5,
        "results": [{"unique_id": "model.mqa_warehouse.int_a"}, {"unique_id": "model.mqa_warehouse.int_b"}],
    }
    assert summarise_run_results(run_results) == (2, 3.5)
    assert summarise_run_results(None) == (0, None)
