"""The data-quality gates: one great-expectations suite per staging table as a Dagster asset check.

Each check validates its staging table right after dbt's staging step (see defs/dbt/assets.py),
stores every expectation's result in meta.dq_results, and is blocking: when a blocking
expectation fails, nothing downstream of the table is built in that run, so the marts keep their
last good state, and `mqa run` exits non-zero naming the table, column, threshold and observed value.
Suites live in expectations/, thresholds in seeds/quality/dq_thresholds.csv.
"""

import datetime as dt

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.quality.suites import Suite, load_suites
from orchestration.settings import PROJECT_ROOT

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
THRESHOLDS_CSV = PROJECT_ROOT / "seeds" / "quality" / "dq_thresholds.csv"


def check_result(results: list) -> dg.AssetCheckResult:
    """Pass unless a blocking expectation failed; failed non-blocking ones are warnings."""
    failed_blocking = [r for r in results if not r.passed and r.blocking]
    failed_warning = [r for r in results if not r.passed and not r.blocking]
    failed = failed_blocking or failed_warning
    return dg.AssetCheckResult(
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if failed_blocking else dg.AssetCheckSeverity.WARN,
        metadata={
            "expectations": len(results),
            "failed_blocking": len(failed_blocking),
            "failed_warning": len(failed_warning),
            "failed": "; ".join(r.message for r in failed) if failed else "none",
        },
    )


def build_suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    table = suite.relation.split(".")[-1]

    @dg.asset_check(
        asset=dg.AssetKey(["staging", table]),
        name="gx_suite",
        description=(
            f"great-expectations suite expectations/{suite.name}.yml: "
            f"{len(suite.expectations)} expectations on {suite.relation}; results in meta.dq_results."
        ),
        blocking=any(expectation.blocking for expectation in suite.expectations),
        pool="warehouse_writer",
    )
    def _check(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource) -> dg.AssetCheckResult:
        from orchestration.quality.validate import validate_suite, write_dq_results

        with duckdb.get_connection() as con:
            results = validate_suite(con, suite, run_date=dt.datetime.now(dt.UTC).date())
            write_dq_results(con, context.run.run_id, results)
        for result in results:
            if not result.passed:
                context.log.warning(result.message)
        return check_result(results)

    return _check


defs = dg.Definitions(
    asset_checks=[build_suite_check(suite) for suite in load_suites(EXPECTATIONS_DIR, THRESHOLDS_CSV)]
)
