"""`mqa evaluate scoring` reads the validation marts and judges the two targets (hand-made rows)."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.evaluation.scoring import all_targets_met, evaluate_scoring, format_scoring_validation


def _warehouse(rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("create schema marts")
    con.execute(
        "create table marts.rpt_model_validation (entity_type varchar, model_id varchar, method varchar, "
        "split varchar, cutoffs integer, first_cutoff_date date, last_cutoff_date date, examples bigint, "
        "positives bigint, base_rate double, auc double, precision_top_5_pct double, "
        "precision_top_10_pct double, top_decile_lift double, calibration_error double)"
    )
    con.executemany(
        "insert into marts.rpt_model_validation values "
        "(?, ?, ?, ?, 4, date '2026-05-01', date '2026-08-01', 100, 10, 0.1, ?, 0.5, 0.4, 4.0, null)",
        rows,
    )
    con.execute(
        "create table marts.rpt_threshold_recommendation (entity_type varchar, model_id varchar, "
        "method varchar, top_share double, threshold_score double, volume_per_cutoff double, "
        "conversion_rate double, acceptance_rate double, is_recommended_for_conversion boolean, "
        "is_recommended_for_acceptance boolean)"
    )
    con.execute(
        "insert into marts.rpt_threshold_recommendation values "
        "('person', 'core', 'learned', 0.05, -0.4, 12.5, 0.3, null, true, false), "
        "('person', 'core', 'learned', 0.5, -2.0, 125, 0.1, null, false, false)"
    )
    return con


def test_targets_met_when_learned_clears_rules_and_stays_near_the_challenger() -> None:
    # 0.76 >= 0.70 + 0.05 and 0.76 >= 0.77 - 0.02
    con = _warehouse(
        [
            ("person", "core", "rules", "test", 0.70),
            ("person", "core", "learned", "test", 0.76),
            ("person", "core", "challenger", "test", 0.77),
            ("person", "core", "learned", "train", 0.99),  # training rows are not the held-out figures
        ]
    )
    [result] = evaluate_scoring(con)
    assert result.auc("learned") == pytest.approx(0.76)
    assert result.learned_beats_rules is True
    assert result.learned_near_challenger is True
    assert all_targets_met([result])
    assert [t["top_share"] for t in result.recommended_thresholds] == [0.05]
    report = format_scoring_validation([result])
    assert "learned - rules AUC 0.0600" in report
    assert "all targets met: yes" in report


@pytest.mark.parametrize(
    ("rules", "learned", "challenger", "beats", "near"),
    [
        (0.72, 0.76, 0.77, False, True),  # only +0.04 over rules
        (0.60, 0.76, 0.79, True, False),  # 0.03 below the challenger
        (0.60, 0.76, None, True, None),  # no challenger rows yet: not judged, not met
    ],
)
def test_each_target_can_be_missed(rules, learned, challenger, beats, near) -> None:
    rows = [("account", "emea", "rules", "test", rules), ("account", "emea", "learned", "test", learned)]
    if challenger is not None:
        rows.append(("account", "emea", "challenger", "test", challenger))
    [result] = evaluate_scoring(_warehouse(rows))
    assert result.learned_beats_rules is beats
    assert result.learned_near_challenger is near
    assert not all_targets_met([result])
    assert "all targets met: no" in format_scoring_validation([result])
