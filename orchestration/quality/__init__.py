"""Data-quality gates: suites as code (expectations/), thresholds as data (seeds/quality/), run through GX.

``load_suites`` reads and checks the configuration; ``validate_suite`` runs one suite on the
warehouse in bounded memory; ``write_dq_results`` keeps the results in ``meta.dq_results`` and
``dq_summary`` prints them. Importing this package does not import great-expectations (slow): the
first validation does.
"""

from orchestration.quality.suites import Expectation, QualityConfigError, Suite, load_suites
from orchestration.quality.validate import ExpectationResult, dq_summary, validate_suite, write_dq_results

__all__ = [
    "Expectation",
    "ExpectationResult",
    "QualityConfigError",
    "Suite",
    "dq_summary",
    "load_suites",
    "validate_suite",
    "write_dq_results",
]
