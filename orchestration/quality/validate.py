"""Run a suite through great-expectations on DuckDB data, chunk by chunk, and keep the results.

GX's SQL datasource does not work on DuckDB, so the suite's columns (only those) are streamed out
of DuckDB in Arrow batches of ``chunk_rows`` and each batch is validated as a pandas DataFrame; the
chunks' element and unexpected counts are summed into one result per expectation, so memory stays
bounded by one chunk whatever the table's size. Checks that need the whole table at once are
aggregated in DuckDB first and the (small) aggregate is validated by GX: duplicated ids for
uniqueness, the last two deliveries from the load ledger for volume.

Event logs (suites with ``scope: new_deliveries``) are append-only tables whose rows carry the
``_loaded_at`` of the load that delivered them. Their chunked column checks (completeness,
not_null, format, range, accepted_values) read only the rows loaded after the suite's watermark:
the newest ``_loaded_at`` covered by the last run of the suite in which every blocking expectation
passed (no such run recorded: all rows). Each run records the newest ``_loaded_at`` it read in
``meta.dq_results.validated_through`` (the previous watermark when there were no new rows), and
the watermark is looked up among passing runs only, so a failed blocking run does not advance it:
a bad delivery keeps failing, run after run, until its rows are removed or corrected. The window's
upper end is fixed before reading (the newest ``_loaded_at`` at the start), so a load arriving
mid-run is left for the next run. ``unique`` looks for the ids of the window's rows in the whole
table (a duplicate may pair an old row with a new one): the rows up to the watermark passed this
blocking check when their own window was read, so only an id the window carries can be repeated
since; its share is still taken over the whole table. ``volume`` still compares the last two
deliveries.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

import duckdb
import pandas as pd

from orchestration.ingest.ledger import LEDGER_TABLE
from orchestration.quality.suites import AGGREGATE_KINDS, NEW_DELIVERIES, Expectation, Suite, resolve_bound

RESULTS_TABLE = "meta.dq_results"
# The column of an event log holding the timestamp of the load that delivered each row.
LOADED_AT = "_loaded_at"

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
    message VARCHAR NOT NULL,
    validated_through TIMESTAMP
)
"""
# Added after the first release: a warehouse whose table predates the column gets it on the next write.
_RESULTS_MIGRATION = f"ALTER TABLE {RESULTS_TABLE} ADD COLUMN IF NOT EXISTS validated_through TIMESTAMP"
_RESULT_COLUMNS = (
    "run_id, checked_at, suite, relation, expectation, column_name, threshold, observed_value, "
    "unexpected_count, element_count, passed, blocking, message, validated_through"
)
# Shares are compared with a hair of tolerance so that 17 of 20 rows meets a threshold of 0.85.
_EPSILON = 1e-12
# Checks whose share is taken over non-null values only (a missing value is completeness's business).
_NON_NULL_KINDS = frozenset({"format", "range", "accepted_values"})


@dataclass(frozen=True)
class RowWindow:
    """The rows a ``new_deliveries`` suite's column checks read: loaded after ``after`` (the suite's
    watermark; None when no passing run is recorded, then every row) up to ``through`` (the newest
    ``_loaded_at`` when the run started; None when there is no new row)."""

    after: datetime | None
    through: datetime | None

    @property
    def validated_through(self) -> datetime | None:
        """The watermark this run records: the newest row read, else the previous watermark."""
        return self.through if self.through is not None else self.after

    def describe(self) -> str:
        """Which rows were read, for the result messages."""
        if self.after is None:
            return "all rows" if self.through is None else f"all rows loaded through {_stamp(self.through)}"
        if self.through is None:
            return f"rows loaded after {_stamp(self.after)}"
        return f"rows loaded after {_stamp(self.after)} through {_stamp(self.through)}"

    def nothing_read(self) -> str:
        """The detail of a check that read no row."""
        return "no rows loaded yet" if self.after is None else "no new rows"

    def where(self) -> tuple[str, list[Any]]:
        """The filter selecting the window's rows, and its parameters (rows without a load time are
        read by the first run only)."""
        column = _quote(LOADED_AT)
        if self.after is None:
            return f" WHERE {column} <= ? OR {column} IS NULL", [self.through]
        return f" WHERE {column} > ? AND {column} <= ?", [self.after, self.through]


@dataclass(frozen=True)
class ExpectationResult:
    """The outcome of one expectation over the rows it read (all chunks combined).

    ``validated_through`` is set on the column checks of a ``new_deliveries`` suite only: the newest
    ``_loaded_at`` they covered (the suite's watermark once the run passes).
    """

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
    validated_through: datetime | None = None


# ---------------------------------------------------------------------------------------------- GX


@cache
def _batch_definition() -> Any:
    """One ephemeral GX context per process (slow to import and create), reused for every batch."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every DataFrame batch under HASH_THRESHOLD bytes by hashing each cell, twice per
    # validation, for a batch marker nothing here reads. With chunks always under the threshold that
    # was more than half of the validation's CPU (docs/decisions.md, "GX batches are not fingerprinted").
    pandas_execution_engine.HASH_THRESHOLD = 0
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

    Only the columns of the chunked checks are read, ``chunk_rows`` at a time, and for a
    ``new_deliveries`` suite only the rows loaded since its last passing run (see the module's
    docstring). Shares are combined over chunks (passed = combined share >= threshold); uniqueness
    and volume are aggregated in DuckDB first.
    """
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    window = row_window(con, suite)
    chunked = [e for e in suite.expectations if e.kind not in AGGREGATE_KINDS]
    totals = _chunked_totals(con, suite, chunked, window, run_date, chunk_rows)
    position_of = {id(e): i for i, e in enumerate(chunked)}
    results: list[ExpectationResult] = []
    for expectation in suite.expectations:
        if expectation.kind == "unique":
            results.append(_validate_unique(con, suite, expectation, window))
        elif expectation.kind == "volume":
            results.append(_validate_volume(con, suite, expectation))
        else:
            elements, unexpected = totals[position_of[id(expectation)]]
            results.append(_share_result(suite, expectation, elements, unexpected, run_date, window))
    return results


def row_window(con: duckdb.DuckDBPyConnection, suite: Suite) -> RowWindow | None:
    """The rows the suite's column checks read this run: None for every row (``all_rows`` suites)."""
    if suite.scope != NEW_DELIVERIES:
        return None
    after = last_validated_through(con, suite)
    newer = "" if after is None else f" WHERE {_quote(LOADED_AT)} > ?"
    try:
        [(through,)] = con.execute(
            f"SELECT max({_quote(LOADED_AT)}) FROM {suite.relation}{newer}", [] if after is None else [after]
        ).fetchall()
    except duckdb.BinderException as error:
        raise ValueError(
            f"suite {suite.name!r} has scope {NEW_DELIVERIES} "
            f"but {suite.relation} has no {LOADED_AT} column: {error}"
        ) from None
    return RowWindow(after, through)


def last_validated_through(con: duckdb.DuckDBPyConnection, suite: Suite) -> datetime | None:
    """The suite's watermark: what the last run without a failed blocking expectation covered.

    A run is one write of results (run id and time); runs that recorded no watermark (``all_rows``
    runs, runs from before the column existed) are skipped. None when no such run is recorded.
    """
    [(has_column,)] = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'meta' "
        "AND table_name = 'dq_results' AND column_name = 'validated_through'"
    ).fetchall()
    if not has_column:
        return None
    found = con.execute(
        f"SELECT validated_through FROM (SELECT checked_at, max(validated_through) AS validated_through "
        f"FROM {RESULTS_TABLE} WHERE suite = ? AND relation = ? GROUP BY run_id, checked_at "
        "HAVING bool_and(passed OR NOT blocking)) WHERE validated_through IS NOT NULL "
        "ORDER BY checked_at DESC LIMIT 1",
        [suite.name, suite.relation],
    ).fetchall()
    return found[0][0] if found else None


def _chunked_totals(
    con: duckdb.DuckDBPyConnection,
    suite: Suite,
    chunked: Sequence[Expectation],
    window: RowWindow | None,
    run_date: date,
    chunk_rows: int,
) -> list[list[int]]:
    """[elements, unexpected] per chunked check, summed over the chunks of the rows in ``window``."""
    totals = [[0, 0] for _ in chunked]
    if not chunked:
        return totals
    gx_chunked = _gx_suite([_gx_expectation(e, run_date, i) for i, e in enumerate(chunked)])
    columns = dict.fromkeys(e.column for e in chunked if e.column is not None)
    where, params = window.where() if window is not None else ("", [])
    select = ", ".join(_quote(column) for column in columns)
    query = con.sql(f"SELECT {select} FROM {suite.relation}{where}", params=params)
    for batch in query.to_arrow_reader(chunk_rows):
        frame = _as_frame(batch)
        if frame.empty:
            continue
        for position, result in enumerate(_validate_frame(frame, gx_chunked)):
            counts = result.result
            elements = int(counts.get("element_count") or 0)
            if chunked[position].kind in _NON_NULL_KINDS:
                elements -= int(counts.get("missing_count") or 0)
            totals[position][0] += elements
            totals[position][1] += int(counts.get("unexpected_count") or 0)
    return totals


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
    suite: Suite,
    expectation: Expectation,
    elements: int,
    unexpected: int,
    run_date: date,
    window: RowWindow | None = None,
) -> ExpectationResult:
    """A column check's combined share; with a window, the rule names the rows read, and a window
    without rows passes with 0 elements (an observed 100%: nothing read, nothing wrong)."""
    observed = (elements - unexpected) / elements if elements else 1.0
    passed = observed >= expectation.threshold - _EPSILON
    what = "rows non-null" if expectation.kind in {"completeness", "not_null"} else "non-null values valid"
    rule = _describe_rule(expectation, run_date)
    if window is None:
        detail = f"{elements - unexpected} of {elements} {what}" if elements else "no rows to check"
        return _result(suite, expectation, rule, observed, unexpected, elements, passed, detail)
    detail = f"{elements - unexpected} of {elements} {what}" if elements else window.nothing_read()
    result = _result(
        suite, expectation, f"{rule} on {window.describe()}", observed, unexpected, elements, passed, detail
    )
    return replace(result, validated_through=window.validated_through)


def _validate_unique(
    con: duckdb.DuckDBPyConnection, suite: Suite, expectation: Expectation, window: RowWindow | None
) -> ExpectationResult:
    """Ids that occur more than once in the whole table, found by DuckDB aggregates; GX checks the
    duplicated rows' total. With a watermark (a ``new_deliveries`` suite that passed before), only
    the ids a row of the window carries are grouped, each with every row of the table that has it:
    a new row repeating an old id is found, and the earlier rows were checked when they were new
    (on large, 0.4 s against 3.9 s for the 35M activities). The share is over the whole table."""
    import great_expectations as gx

    column = _quote(expectation.column or "")
    [(elements,)] = con.execute(f"SELECT count({column}) FROM {suite.relation}").fetchall()
    scoped, params = "", []
    if window is not None and window.after is not None:
        window_rows, params = window.where()
        scoped = f" AND {column} IN (SELECT {column} FROM {suite.relation}{window_rows})"
    duplicates = con.sql(
        f"SELECT {column} AS duplicated_value, count(*) AS n_rows FROM {suite.relation} "
        f"WHERE {column} IS NOT NULL{scoped} GROUP BY {column} HAVING count(*) > 1",
        params=params or None,
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


def _stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


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
            r.validated_through,
        ]
        for r in results
    ]
    con.execute("CREATE SCHEMA IF NOT EXISTS meta").fetchall()
    con.execute(_RESULTS_DDL).fetchall()
    con.execute(_RESULTS_MIGRATION).fetchall()
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        if rows:
            placeholders = ", ".join("?" for _ in range(14))
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
