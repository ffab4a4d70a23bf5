"""Targets, a readable table and a JSON document for an identity evaluation."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from orchestration.evaluation.identity import IdentityEvaluation


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    comparison: str  # ">=" or "=="
    threshold: float
    value: Callable[[IdentityEvaluation], float | None]


@dataclass(frozen=True)
class TargetResult:
    key: str
    label: str
    comparison: str
    threshold: float
    value: float | None
    met: bool


TARGETS = (
    Target("person_precision", "person pairwise precision", ">=", 0.995, lambda e: e.persons.precision),
    Target("person_recall", "person pairwise recall", ">=", 0.97, lambda e: e.persons.recall),
    Target(
        "account_assignment_business_email",
        "account right, business-email records",
        ">=",
        0.98,
        lambda e: e.accounts.business_email_share,
    ),
    Target("free_mail_account_domains", "free-mail account domains", "==", 0, lambda e: e.free_mail.accounts),
)


def _met(comparison: str, value: float | None, threshold: float) -> bool:
    if value is None:
        return False
    return value >= threshold if comparison == ">=" else value == threshold


def target_results(evaluation: IdentityEvaluation) -> list[TargetResult]:
    results = []
    for target in TARGETS:
        value = target.value(evaluation)
        results.append(
            TargetResult(
                key=target.key,
                label=target.label,
                comparison=target.comparison,
                threshold=target.threshold,
                value=value,
                met=_met(target.comparison, value, target.threshold),
            )
        )
    return results


def all_targets_met(evaluation: IdentityEvaluation) -> bool:
    return all(result.met for result in target_results(evaluation))


def identity_report_json(evaluation: IdentityEvaluation) -> str:
    document: dict[str, Any] = {"evaluation": "identity", **asdict(evaluation)}
    document["targets"] = [asdict(result) for result in target_results(evaluation)]
    document["all_targets_met"] = all_targets_met(evaluation)
    return json.dumps(document, indent=2)


# --- the table ------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2%}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _n(value: int) -> str:
    return f"{value:,}"


def _rows(title: str, rows: list[tuple[str, str, str]]) -> list[str]:
    """A section: metric, figure, target column (empty when the figure has no target)."""
    lines = [title]
    for label, figure, target in rows:
        lines.append(f"  {label:<48} {figure:>22}  {target}".rstrip())
    return lines


def _target_cell(results: dict[str, TargetResult], key: str, shown: str) -> str:
    result = results[key]
    return f"target {result.comparison} {shown:<6} {'met' if result.met else 'MISSED'}"


def format_identity_report(evaluation: IdentityEvaluation) -> str:
    results = {result.key: result for result in target_results(evaluation)}
    p, a, m, f, t = (
        evaluation.persons,
        evaluation.accounts,
        evaluation.merges,
        evaluation.free_mail,
        evaluation.timing,
    )
    seed = "" if evaluation.seed is None else f", seed {evaluation.seed}"
    lines = [f"Identity resolution against ground truth — preset {evaluation.preset}{seed}", ""]
    lines += _rows(
        "Persons (pairwise, over records in both bridge and truth)",
        [
            ("precision", _ratio(p.precision), _target_cell(results, "person_precision", "0.995")),
            ("recall", _ratio(p.recall), _target_cell(results, "person_recall", "0.97")),
            (
                "pairs: true positive / predicted / true",
                f"{_n(p.true_positive_pairs)} / {_n(p.predicted_pairs)} / {_n(p.true_pairs)}",
                "",
            ),
            ("records compared", _n(p.records_compared), ""),
            ("predicted persons / true persons", f"{_n(p.predicted_persons)} / {_n(p.true_persons)}", ""),
            ("records in truth, missing from bridge", _n(p.truth_only_records), ""),
            ("records in bridge, missing from truth", _n(p.bridge_only_records), ""),
            ("record keys listed more than once in bridge", _n(p.duplicate_bridge_records), ""),
        ],
    )
    if p.truth_only_records or p.bridge_only_records:
        for c in p.coverage:
            if c.truth_only or c.bridge_only:
                lines.append(
                    f"    {c.source_system}/{c.source_object}: {_n(c.in_both)} in both, "
                    f"{_n(c.truth_only)} truth only, {_n(c.bridge_only)} bridge only"
                )
    lines.append("")
    lines += _rows(
        "Accounts (assigned account mapped to a true account)",
        [
            (
                "right account, business-email records",
                _pct(a.business_email_share),
                _target_cell(results, "account_assignment_business_email", "98%"),
            ),
            ("", f"{_n(a.business_email_correct)} of {_n(a.business_email_records)}", ""),
            ("right account, all records with a true account", _pct(a.true_account_share), ""),
            ("", f"{_n(a.true_account_correct)} of {_n(a.true_account_records)}", ""),
            ("business-email records with no account", _n(a.unassigned_business_email_records), ""),
            ("predicted accounts", _n(a.predicted_accounts), ""),
            (
                "  mapped by CRM account / by person majority",
                f"{_n(a.mapped_by_crm_account)} / {_n(a.mapped_by_person_majority)}",
                "",
            ),
            ("  mapped to no true account", _n(a.unmapped_accounts), ""),
            ("true accounts split over several accounts", _n(a.split_true_accounts), ""),
            (
                "records in truth / bridge only",
                f"{_n(a.truth_only_records)} / {_n(a.bridge_only_records)}",
                "",
            ),
        ],
    )
    lines.append("")
    lines += _rows(
        "Wrong merges (predicted persons)",
        [
            ("spanning two or more true accounts", _n(m.persons_across_true_accounts), ""),
            ("  records in them", _n(m.records_in_cross_account_persons), ""),
            ("spanning two or more true persons", _n(m.persons_across_true_persons), ""),
        ],
    )
    lines.append("")
    lines += _rows(
        "Account domains",
        [
            (
                "free-mail domains used as account domain",
                _n(f.accounts),
                _target_cell(results, "free_mail_account_domains", "0"),
            )
        ],
    )
    if f.examples:
        lines.append("    " + ", ".join(f"{domain} ({n})" for domain, n in f.examples))
    lines.append("")
    if t is None:
        lines.append("Rebuild time: not measured (--no-time)")
    else:
        dbt = "" if t.dbt_elapsed_seconds is None else f" (dbt elapsed {t.dbt_elapsed_seconds:.1f}s)"
        lines += _rows(
            "Rebuild time (dbt run --select tag:identity)",
            [("wall time", f"{t.seconds:.1f}s", f"{t.message}{dbt}" if t.success else "FAILED")],
        )
        if not t.success:
            lines.append("    " + t.message.replace("\n", "\n    "))
    lines.append("")
    met = sum(result.met for result in results.values())
    lines.append(f"Targets met: {met} of {len(results)}")
    return "\n".join(lines)
