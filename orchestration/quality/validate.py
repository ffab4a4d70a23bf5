"""Run a suite through great-expectations on DuckDB data, chunk by chunk, and keep the results.

GX's SQL datasource does not work on DuckDB, so the suite's columns (only those) are streamed out
of DuckDB in Arrow batches of ``chunk_rows`` and each batch is validated as a pandas DataFrame; the
chunks' element and unexpected counts are summed into one result per expectation, so memory stays
bounded by one chunk whatever the table's size. Checks that need the whole table at once are
aggregated in DuckDB first and the (small) aggregate is validated by GX: duplicated ids for
uniqueness, the last two deliveries from the load ledger for volume.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

import duckdb
import pandas as pd

from orchestration.ingest.ledger import LEDGER_TABLE
from orchestration.quality.suites import Expectation, Suite, resolve_bound

RESULTS_TABLE = "meta.dq_results"

_RESULTS_DDL = f"""
CREATE TABLE IF NOT EXISTS {RESULTS_TABLE} (
    run_id VARCHAR NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    suite VARCHAR NOT NULL,
    relation VARCHAR NOT NULL,
    expectation VARCHAR NOT NULL,
    column_name VARCHAR,
    threshold DOUBLE NOT NULL,
    observed_value DOUBLE,
    unexpected_count BIGINT,
    element_count BIGINT,
    passed BOOLEAN NOT NULL,
    blocking BOOLEAN NOT NULL,
    message VARCHAR NOT NULL
)
"""
_RESULT_COLUMNS = (
    "run_id, checked_at, suite, relation, expectation, column_name, threshold, observed_value, "
    "unexpected_count, element_count, passed, blocking, message"
)
# Shares are compared with a hair of tolerance so that 17 of 20 rows meets a threshold of 0.85.
_EPSILON = 1e-12
# Checks whose share is taken over non-null values only (a missing value is completeness's business).
_NON_NULL_KINDS = frozenset({"format", "range", "accepted_values"})


@dataclass(frozen=True)
class ExpectationResult:
    """The outcome of one expectation over the whole relation (all chunks combined)."""

    suite: str
    relation: str
    expectation: str
    column: str | None
    threshold: float
    observed_value: float
    unexpected_count: int
    element_count: int
    passed: bool
    blocking: bool
    message: str


# ---------------------------------------------------------------------------------------------- GX


@cache
def _batch_definition() -> Any:
    """One ephemeral GX context per process (slow to import and create), reused for every batch."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("dq_frames").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def _gx_suite(expectations: Sequence[Any]) -> Any:
    """A GX suite of the given expectations, each tagged with its position (GX reorders results)."""
    import great_expectations as gx

    return gx.ExpectationSuite(name="dq", expectations=list(expectations))


def _validate_frame(frame: pd.DataFrame, gx_suite: Any) -> list[Any]:
    """Validate a DataFrame against a GX suite built by ``_gx_suite``; results in the suite's order."""
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    outcome = batch.validate(gx_suite, result_format="BASIC")
    by_position = {result.expectation_config.meta["position"]: result for result in outcome.results}
    for result in outcome.results:
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"GX could not evaluate {result.expectation_config.type} on "
                f"{result.expectation_config.kwargs.get('column')}: "
                f"{result.exception_info.get('exception_message')}"
            )
    return [by_position[i] for i in range(len(by_position))]


def _gx_expectation(expectation: Expectation, run_date: date, position: int) -> Any:
    """The GX expectation for one chunked column check, ``mostly`` set to its threshold."""
    import great_expectations as gx

    common = {"column": expectation.column, "mostly": expectation.threshold, "meta": {"position": position}}
    params = expectation.params
    if expectation.kind in {"completeness", "not_null"}:
        return gx.expectations.ExpectColumnValuesToNotBeNull(**common)
    if expectation.kind == "format":
        return gx.expectations.ExpectColumnValuesToMatchRegex(regex=params["regex"], **common)
    if expectation.kind == "accepted_values":
        return gx.expectations.ExpectColumnValuesToBeInSet(value_set=list(params["values"]), **common)
    if expectation.kind == "range":
        low, high = _range_bounds(expectation, run_date)
        return gx.expectations.ExpectColumnValuesToBeBetween(min_value=low, max_value=high, **common)
    raise ValueError(f"{expectation.kind} is not a chunked column check")


def _range_bounds(expectation: Expectation, run_date: date) -> tuple[Any, Any]:
    """Numeric bounds as they are; date bounds as epoch microseconds covering whole days (inclusive).

    Time columns reach GX as epoch microseconds (see ``_as_frame``): GX compares numbers about four
    times faster than timestamps, which matters on tens of millions of activities.
    """
    low = expectation.params.get("min_value")
    high = expectation.params.get("max_value")
    low = None if low is None else resolve_bound(low, run_date)
    high = None if high is None else resolve_bound(high, run_date)
    if isinstance(low, date):
        low = _epoch_us(low)
    if isinstance(high, date):
        high = _epoch_us(high + timedelta(days=1)) - 1
    return low, high


def _epoch_us(day: date) -> int:
    """Microseconds from 1970-01-01 to the start of ``day`` (exact, any year)."""
    return (datetime.combine(day, time.min) - datetime(1970, 1, 1)) // timedelta(microseconds=1)


def _describe_rule(expectation: Expectation, run_date: date) -> str:
    if expectation.kind == "format":
        return f"format /{expectation.params['regex']}/"
    if expectation.kind == "range":
        low = expectation.params.get("min_value")
        high = expectation.params.get("max_value")
        shown = [
            "-inf" if low is None else str(resolve_bound(low, run_date)),
            "+inf" if high is None else str(resolve_bound(high, run_date)),
        ]
        return f"range [{shown[0]}, {shown[1]}]"
    if expectation.kind == "accepted_values":
        values = expectation.params["values"]
        listed = ", ".join(values[:8]) + (", ..." if len(values) > 8 else "")
        return f"accepted_values {{{listed}}}"
    return expectation.kind


# ------------------------------------------------------------------------------------- validation


def validate_suite(
    con: duckdb.DuckDBPyConnection, suite: Suite, *, run_date: date, chunk_rows: int = 1_000_000
) -> list[ExpectationResult]:
    """Validate every expectation of ``suite`` on its relation; one result per expectation, in order.

    Only the suite's columns are read, ``chunk_rows`` at a time. Shares are combined over chunks
    (passed = combined share >= threshold); uniqueness and volume are aggregated in DuckDB first.
    """
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    chunked = [e for e in suite.expectations if e.kind not in {"unique", "volume"}]
    gx_chunked = _gx_suite([_gx_expectation(e, run_date, i) for i, e in enumerate(chunked)])
    totals = {i: [0, 0] for i in range(len(chunked))}  # position -> [elements, unexpected]
    unique_columns = {e.column for e in suite.expectations if e.kind == "unique"}
    non_null = dict.fromkeys(unique_columns, 0)
    rows = 0

    if suite.columns:
        select = ", ".join(_quote(column) for column in suite.columns)
        reader = con.sql(f"SELECT {select} FROM {suite.relation}").to_arrow_reader(chunk_rows)
        for batch in reader:
            frame = _as_frame(batch)
            rows += len(frame)
            for column in unique_columns:
                non_null[column] += int(frame[column].notna().sum())
            if not chunked or frame.empty:
                continue
            for position, result in enumerate(_validate_frame(frame, gx_chunked)):
                counts = result.result
                elements = int(counts.get("element_count") or 0)
                if chunked[position].kind in _NON_NULL_KINDS:
                    elements -= int(counts.get("missing_count") or 0)
                totals[position][0] += elements
                totals[position][1] += int(counts.get("unexpected_count") or 0)

    results: list[ExpectationResult] = []
    position_of = {id(e): i for i, e in enumerate(chunked)}
    for expectation in suite.expectations:
        if expectation.kind == "unique":
            results.append(_validate_unique(con, suite, expectation, non_null[expectation.column]))
        elif expectation.kind == "volume":
            results.append(_validate_volume(con, suite, expectation))
        else:
            elements, unexpected = totals[position_of[id(expectation)]]
            results.append(_share_result(suite, expectation, elements, unexpected, run_date))
    return results


def _as_frame(batch: Any) -> pd.DataFrame:
    """An Arrow batch as pandas, dates and timestamps (UTC) as epoch microseconds (missing = NaN)."""
    frame = batch.to_pandas(date_as_object=False)
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        if pd.api.types.is_datetime64_dtype(values.dtype):
            micros = values.dt.as_unit("us").astype("int64").astype("float64")
            frame[column] = micros.where(values.notna())
    return frame


def _share_result(
    suite: Suite, expectation: Expectation, elements: int, unexpected: int, run_date: date
) -> ExpectationResult:
    observed = (elements - unexpected) / elements if elements else 1.0
    passed = observed >= expectation.threshold - _EPSILON
    what = "rows non-null" if expectation.kind in {"completeness", "not_null"} else "non-null values valid"
    detail = f"{elements - unexpected} of {elements} {what}" if elements else "no rows to check"
    return _result(
        suite,
        expectation,
        _describe_rule(expectation, run_date),
        observed,
        unexpected,
        elements,
        passed,
        detail,
    )


def _validate_unique(
    con: duckdb.DuckDBPyConnection, suite: Suite, expectation: Expectation, elements: int
) -> ExpectationResult:
    """Ids that occur more than once, found by one DuckDB aggregate; GX checks the duplicated rows' total."""
    import great_expectations as gx

    column = _quote(expectation.column or "")
    duplicates = con.sql(
        f"SELECT {column} AS duplicated_value, count(*) AS n_rows FROM {suite.relation} "
        f"WHERE {column} IS NOT NULL GROUP BY {column} HAVING count(*) > 1"
    ).df()
    allowed = math.floor((1.0 - expectation.threshold) * elements + _EPSILON)
    frame = duplicates.astype({"n_rows": "int64"})
    check = gx.expectations.ExpectColumnSumToBeBetween(
        column="n_rows", max_value=allowed, meta={"position": 0}
    )
    [result] = _validate_frame(frame, _gx_suite([check]))
    unexpected = int(frame["n_rows"].sum())
    observed = (elements - unexpected) / elements if elements else 1.0
    examples = ", ".join(str(value) for value in frame["duplicated_value"].head(3))
    detail = (
        f"{unexpected} of {elements} rows share an id with another row (e.g. {examples})"
        if unexpected
        else f"all {elements} non-null ids distinct"
    )
    return _result(suite, expectation, "unique", observed, unexpected, elements, bool(result.success), detail)


def _validate_volume(
    con: duckdb.DuckDBPyConnection, suite: Suite, expectation: Expectation
) -> ExpectationResult:
    """Rows of the latest loaded delivery of the raw object against the previous one, checked by GX."""
    import great_expectations as gx

    system, object_name = (suite.raw_object or "/").split("/", 1)
    ledger_exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'meta' AND table_name = 'load_ledger'"
    ).fetchall()[0][0]
    deliveries = (
        con.execute(
            f"SELECT file_path, rows_loaded FROM {LEDGER_TABLE} WHERE system = ? AND object = ? "
            "AND status = 'loaded' ORDER BY finished_at DESC, started_at DESC LIMIT 2",
            [system, object_name],
        ).fetchall()
        if ledger_exists
        else []
    )
    rule = f"volume of {suite.raw_object} vs previous delivery"
    if len(deliveries) < 2:
        detail = "first delivery, nothing to compare" if deliveries else "no delivery loaded yet"
        latest_rows = int(deliveries[0][1] or 0) if deliveries else 0
        return _result(suite, expectation, rule, 1.0, 0, latest_rows, True, detail)
    (latest_file, latest_rows), (previous_file, previous_rows) = deliveries
    latest_rows, previous_rows = int(latest_rows or 0), int(previous_rows or 0)
    ratio = latest_rows / previous_rows if previous_rows else 1.0
    frame = pd.DataFrame({"ratio": [ratio]})
    check = gx.expectations.ExpectColumnValuesToBeBetween(
        column="ratio", min_value=expectation.threshold, meta={"position": 0}
    )
    [result] = _validate_frame(frame, _gx_suite([check]))
    shortfall = max(0, math.ceil(expectation.threshold * previous_rows - _EPSILON) - latest_rows)
    detail = f"{latest_file} has {latest_rows} rows, previous {previous_file} had {previous_rows}"
    return _result(suite, expectation, rule, ratio, shortfall, latest_rows, bool(result.success), detail)


def _result(
    suite: Suite,
    expectation: Expectation,
    rule: str,
    observed: float,
    unexpected: int,
    elements: int,
    passed: bool,
    detail: str,
) -> ExpectationResult:
    verdict = "passed" if passed else ("FAILED (blocking)" if expectation.blocking else "FAILED (warning)")
    target = suite.relation if expectation.column is None else f"{suite.relation}.{expectation.column}"
    versus = f"observed {observed:.2%} vs threshold {expectation.threshold:.2%}"
    message = f"{verdict}: {target} {rule}: {versus} ({detail})"
    return ExpectationResult(
        suite=suite.name,
        relation=suite.relation,
        expectation=expectation.kind,
        column=expectation.column,
        threshold=expectation.threshold,
        observed_value=float(observed),
        unexpected_count=int(unexpected),
        element_count=int(elements),
        passed=bool(passed),
        blocking=expectation.blocking,
        message=message,
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# ---------------------------------------------------------------------------------------- results


def write_dq_results(
    con: duckdb.DuckDBPyConnection, run_id: str, results: Iterable[ExpectationResult]
) -> None:
    """Append one run's results to ``meta.dq_results`` (created when missing) in one transaction."""
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        [
            run_id,
            checked_at,
            r.suite,
            r.relation,
            r.expectation,
            r.column,
            r.threshold,
            r.observed_value,
            r.unexpected_count,
            r.element_count,
            r.passed,
            r.blocking,
            r.message,
        ]
        for r in results
    ]
    con.execute("CREATE SCHEMA IF NOT EXISTS meta").fetchall()
    con.execute(_RESULTS_DDL).fetchall()
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        if rows:
            placeholders = ", ".join("?" for _ in range(13))
            con.executemany(f"INSERT INTO {RESULTS_TABLE} ({_RESULT_COLUMNS}) VALUES ({placeholders})", rows)
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise


def dq_summary(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """A short terminal table of one run: checks passed and failed per suite, then the failures."""
    per_suite = con.execute(
        f"SELECT suite, count(*) FILTER (WHERE passed), count(*) FILTER (WHERE NOT passed), "
        f"count(*) FILTER (WHERE NOT passed AND blocking) FROM {RESULTS_TABLE} WHERE run_id = ? "
        "GROUP BY suite ORDER BY suite",
        [run_id],
    ).fetchall()
    if not per_suite:
        return f"data quality run {run_id}: no results"
    failures = con.execute(
        f"SELECT message FROM {RESULTS_TABLE} WHERE run_id = ? AND NOT passed "
        "ORDER BY NOT blocking, suite, expectation, column_name",
        [run_id],
    ).fetchall()
    width = max(len("suite"), *(len(row[0]) for row in per_suite))
    passed = sum(row[1] for row in per_suite)
    failed = sum(row[2] for row in per_suite)
    blocking = sum(row[3] for row in per_suite)
    lines = [
        f"data quality run {run_id}: {passed} passed, {failed} failed ({blocking} blocking)",
        f"{'suite':<{width}}  passed  failed  blocking",
    ]
    lines += [f"{s:<{width}}  {p:>6}  {f:>6}  {b:>8}" for s, p, f, b in per_suite]
    lines += [f"  {message}" for (message,) in failures]
    return "\n".join(lines)
