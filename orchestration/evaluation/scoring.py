"""How well each scoring method predicts outcomes on the held-out period, and whether the targets hold.

Reads marts.rpt_model_validation (built by dbt, with the challenger's rows once its Dagster asset has
run) and checks, per entity type and model, the two targets of the learning loop:

- the learned method's test AUC is at least ``LEARNED_OVER_RULES`` above the hand-set rules', and
- it is within ``LEARNED_NEAR_CHALLENGER`` of the scikit-learn challenger's.

Also reads the recommended thresholds and the latest month of sales calibration. Nothing is
computed here that the marts do not already hold; this is the printed view of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import duckdb

LEARNED_OVER_RULES = 0.05
LEARNED_NEAR_CHALLENGER = 0.02
METHOD_ORDER = ("rules", "learned", "blended", "challenger")


@dataclass(frozen=True)
class MethodResult:
    method: str
    examples: int
    positives: int
    base_rate: float | None
    auc: float | None
    precision_top_5_pct: float | None
    precision_top_10_pct: float | None
    top_decile_lift: float | None
    calibration_error: float | None


@dataclass(frozen=True)
class ModelValidation:
    entity_type: str
    model_id: str
    first_test_cutoff: str | None
    last_test_cutoff: str | None
    methods: tuple[MethodResult, ...]
    recommended_thresholds: tuple[dict[str, object], ...] = field(default_factory=tuple)

    def auc(self, method: str) -> float | None:
        return next((m.auc for m in self.methods if m.method == method), None)

    @property
    def learned_beats_rules(self) -> bool | None:
        learned, rules = self.auc("learned"), self.auc("rules")
        if learned is None or rules is None:
            return None
        return learned >= rules + LEARNED_OVER_RULES

    @property
    def learned_near_challenger(self) -> bool | None:
        learned, challenger = self.auc("learned"), self.auc("challenger")
        if learned is None or challenger is None:
            return None
        return learned >= challenger - LEARNED_NEAR_CHALLENGER

    def as_dict(self) -> dict[str, object]:
        return {
            **asdict(self),
            "learned_beats_rules": self.learned_beats_rules,
            "learned_near_challenger": self.learned_near_challenger,
        }


VALIDATION_SQL = """
select
    entity_type, model_id, method, examples, positives, base_rate, auc, precision_top_5_pct,
    precision_top_10_pct, top_decile_lift, calibration_error,
    cast(first_cutoff_date as varchar), cast(last_cutoff_date as varchar)
from marts.rpt_model_validation
where split = 'test'
order by entity_type desc, model_id, method
"""

THRESHOLDS_SQL = """
select
    entity_type, model_id, method, top_share, threshold_score, volume_per_cutoff, conversion_rate,
    acceptance_rate, is_recommended_for_conversion, is_recommended_for_acceptance
from marts.rpt_threshold_recommendation
where method = 'learned' and (is_recommended_for_conversion or is_recommended_for_acceptance)
order by entity_type desc, model_id, top_share
"""


def _number(value: object) -> float | None:
    return None if value is None else float(value)


def evaluate_scoring(con: duckdb.DuckDBPyConnection) -> list[ModelValidation]:
    """One ModelValidation per entity type and model, from the validation marts."""
    rows = con.execute(VALIDATION_SQL).fetchall()
    thresholds = con.execute(THRESHOLDS_SQL).fetchall()
    grouped: dict[tuple[str, str], list[tuple]] = {}
    for row in rows:
        grouped.setdefault((row[0], row[1]), []).append(row)
    results = []
    for (entity_type, model_id), model_rows in grouped.items():
        methods = sorted(
            (
                MethodResult(
                    method=row[2],
                    examples=int(row[3]),
                    positives=int(row[4]),
                    base_rate=_number(row[5]),
                    auc=_number(row[6]),
                    precision_top_5_pct=_number(row[7]),
                    precision_top_10_pct=_number(row[8]),
                    top_decile_lift=_number(row[9]),
                    calibration_error=_number(row[10]),
                )
                for row in model_rows
            ),
            key=lambda m: METHOD_ORDER.index(m.method) if m.method in METHOD_ORDER else len(METHOD_ORDER),
        )
        recommended = tuple(
            {
                "top_share": float(t[3]),
                "threshold_score": _number(t[4]),
                "volume_per_cutoff": _number(t[5]),
                "conversion_rate": _number(t[6]),
                "acceptance_rate": _number(t[7]),
                "for_conversion": bool(t[8]),
                "for_acceptance": bool(t[9]),
            }
            for t in thresholds
            if (t[0], t[1]) == (entity_type, model_id)
        )
        results.append(
            ModelValidation(
                entity_type=entity_type,
                model_id=model_id,
                first_test_cutoff=model_rows[0][11],
                last_test_cutoff=model_rows[0][12],
                methods=tuple(methods),
                recommended_thresholds=recommended,
            )
        )
    return results


def all_targets_met(results: list[ModelValidation]) -> bool:
    """Every model has a learned AUC, beats the rules by the margin and is near the challenger."""
    return bool(results) and all(r.learned_beats_rules and r.learned_near_challenger for r in results)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "n/a"}[met]


def format_scoring_validation(results: list[ModelValidation]) -> str:
    """The report `mqa evaluate scoring` prints: one table per model, then the targets."""
    if not results:
        return "no validation rows: the learning models have no test examples (is there enough history?)"
    lines = ["Held-out validation (test cutoffs; the weights are learned on earlier cutoffs only)", ""]
    for result in results:
        lines.append(
            f"{result.entity_type} model {result.model_id}: test cutoffs "
            f"{result.first_test_cutoff} .. {result.last_test_cutoff}"
        )
        lines.append(
            f"  {'method':<11}{'examples':>9}{'outcomes':>9}{'base':>7}{'AUC':>8}{'top 5%':>8}"
            f"{'top 10%':>9}{'lift@10':>9}{'calib':>8}"
        )
        for m in result.methods:
            lines.append(
                f"  {m.method:<11}{m.examples:>9}{m.positives:>9}{_fmt(m.base_rate):>7}{_fmt(m.auc, 4):>8}"
                f"{_fmt(m.precision_top_5_pct):>8}{_fmt(m.precision_top_10_pct):>9}"
                f"{_fmt(m.top_decile_lift, 2):>9}{_fmt(m.calibration_error):>8}"
            )
        learned, rules, challenger = result.auc("learned"), result.auc("rules"), result.auc("challenger")
        gain = None if learned is None or rules is None else learned - rules
        gap = None if learned is None or challenger is None else learned - challenger
        lines.append(
            f"  learned - rules AUC {_fmt(gain, 4)} (target >= +{LEARNED_OVER_RULES}): "
            f"{_verdict(result.learned_beats_rules)}; learned - challenger {_fmt(gap, 4)} "
            f"(target >= -{LEARNED_NEAR_CHALLENGER}): {_verdict(result.learned_near_challenger)}"
        )
        for t in result.recommended_thresholds:
            goals = [
                g
                for g, on in (("conversion", t["for_conversion"]), ("acceptance", t["for_acceptance"]))
                if on
            ]
            lines.append(
                f"  threshold for target {' and '.join(goals)}: top {float(t['top_share']):.0%} "
                f"(learned log-odds >= {_fmt(t['threshold_score'], 2)}), {_fmt(t['volume_per_cutoff'], 0)} "
                f"per cutoff, conversion {_fmt(t['conversion_rate'])}, "
                f"acceptance {_fmt(t['acceptance_rate'])}"
            )
        lines.append("")
    lines.append(f"all targets met: {'yes' if all_targets_met(results) else 'no'}")
    return "\n".join(lines)
