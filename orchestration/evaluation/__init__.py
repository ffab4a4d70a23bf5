"""Measure the warehouse against the generator's ground truth (`mqa evaluate`).

Each evaluation is a set of pure functions over a DuckDB connection that return a dataclass of
metrics, and a separate formatter; the truth files are attached as temporary views, so the
warehouse file is only ever opened read-only.
"""

from orchestration.evaluation.identity import (
    AccountAssignment,
    FreeMailDomains,
    IdentityEvaluation,
    PersonClustering,
    WrongMerges,
    evaluate_identity,
)
from orchestration.evaluation.report import format_identity_report, identity_report_json
from orchestration.evaluation.timing import RebuildTiming

__all__ = [
    "AccountAssignment",
    "FreeMailDomains",
    "IdentityEvaluation",
    "PersonClustering",
    "RebuildTiming",
    "WrongMerges",
    "evaluate_identity",
    "format_identity_report",
    "identity_report_json",
]
