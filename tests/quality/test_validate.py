"""validate_suite on tiny DuckDB tables, with every observed value worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.ledger import ensure_meta_tables
from orchestration.quality.suites import Expectation, Suite
from orchestration.quality.validate import dq_summary, validate_suite, write_dq_results

ROOT = Path(__file__).resolve().parents[2]
RUN_DATE = date(2026, 11, 29)
EMAIL_REGEX = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "dq.duckdb"))
    connection.execute("CREATE SCHEMA staging").fetchall()
    yield connection
    connection.close()


def make_table(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    con.execute(f"CREATE OR REPLACE TABLE staging.t AS {sql}").fetchall()


def run_one(con, expectation: Expectation, chunk_rows: int = 1_000_000, raw_object: str | None = None):
    suite = Suite("t", "staging.t", raw_object, (expectation,))
    [result] = validate_suite(con, suite, run_date=RUN_DATE, chunk_rows=chunk_rows)
    return result


FOUR_EMAILS = "SELECT * FROM (VALUES (1, 'a@x.com'), (2, 'b@x.com'), (3, NULL), (4, 'd@x.com')) v(id, email)"


def test_completeness_three_of_four_fails_the_default_and_passes_a_lower_threshold(con) -> None:
    make_table(con, FOUR_EMAILS)
    failing = run_one(con, Expectation("completeness", "email", {}, 0.85, True))
    assert (failing.observed_value, failing.unexpected_count, failing.element_count) == (0.75, 1, 4)
    assert not failing.passed
    assert failing.message.startswith("FAILED (blocking): staging.t.email completeness")
    assert "75.00%" in failing.message and "85.00%" in failing.message
    passing = run_one(con, Expectation("completeness", "email", {}, 0.75, True))
    assert passing.passed and passing.observed_value == 0.75


def test_completeness_nine_of_ten_passes(con) -> None:
    make_table(con, "SELECT range AS id, CASE WHEN range = 0 THEN NULL ELSE 'x' END AS title FROM range(10)")
    result = run_one(con, Expectation("completeness", "title", {}, 0.85, True))
    assert (result.observed_value, result.unexpected_count, result.element_count, result.passed) == (
        0.9,
        1,
        10,
        True,
    )


def test_format_counts_only_non_null_values(con) -> None:
    make_table(con, FOUR_EMAILS.replace("'d@x.com'", "'not-an-email'"))
    failing = run_one(con, Expectation("format", "email", {"regex": EMAIL_REGEX}, 0.99, True))
    # 2 of the 3 present values are addresses; the missing one is completeness's business
    assert (failing.unexpected_count, failing.element_count, failing.passed) == (1, 3, False)
    assert failing.observed_value == pytest.approx(2 / 3)
    make_table(con, FOUR_EMAILS)
    passing = run_one(con, Expectation("format", "email", {"regex": EMAIL_REGEX}, 0.99, True))
    assert (passing.observed_value, passing.unexpected_count, passing.element_count, passing.passed) == (
        1.0,
        0,
        3,
        True,
    )


def test_range_on_counts(con) -> None:
    make_table(con, "SELECT * FROM (VALUES (1, 10), (2, 0), (3, -5), (4, NULL)) v(id, employees)")
    failing = run_one(con, Expectation("range", "employees", {"min_value": 0}, 0.99, True))
    assert (failing.unexpected_count, failing.element_count, failing.passed) == (1, 3, False)
    passing = run_one(con, Expectation("range", "employees", {"min_value": 0}, 0.6, True))
    assert passing.passed and passing.observed_value == pytest.approx(2 / 3)


def test_dates_not_before_1900_nor_after_the_run_date_plus_a_day(con) -> None:
    make_table(
        con,
        "SELECT * FROM (VALUES (1, TIMESTAMP '2026-11-30 23:59:59'), "
        "(2, TIMESTAMP '1900-01-01 00:00:00'), (3, TIMESTAMP '2026-12-01 00:00:01'), "
        "(4, TIMESTAMP '1899-12-31 23:59:59'), (5, NULL)) v(id, created_at)",
    )
    bounds = {"min_value": date(1900, 1, 1), "max_value": "run_date + 1 day"}
    result = run_one(con, Expectation("range", "created_at", bounds, 0.99, True))
    # run date 2026-11-29: the next day is tolerated to its last second, 1900-01-01 is allowed
    assert (result.unexpected_count, result.element_count, result.observed_value) == (2, 4, 0.5)
    assert not result.passed
    assert "range [1900-01-01, 2026-11-30]" in result.message
    make_table(con, "SELECT 1 AS id, DATE '2026-11-29' AS created_at")  # DATE columns work as well
    assert run_one(con, Expectation("range", "created_at", bounds, 1.0, True)).passed


def test_known_activity_types(con) -> None:
    make_table(con, "SELECT * FROM (VALUES (1, '1'), (2, '2'), (3, '999'), (4, '1')) v(id, activity_type_id)")
    known = {"values": ("1", "2", "10")}
    failing = run_one(con, Expectation("accepted_values", "activity_type_id", known, 1.0, False))
    assert (failing.observed_value, failing.unexpected_count, failing.element_count) == (0.75, 1, 4)
    assert not failing.passed and failing.message.startswith("FAILED (warning)")
    assert run_one(con, Expectation("accepted_values", "activity_type_id", known, 0.75, False)).passed


def test_ids_not_null(con) -> None:
    make_table(con, "SELECT * FROM (VALUES (1), (NULL), (3)) v(id)")
    failing = run_one(con, Expectation("not_null", "id", {}, 1.0, True))
    assert (failing.unexpected_count, failing.element_count, failing.passed) == (1, 3, False)
    make_table(con, "SELECT * FROM (VALUES (1), (2), (3)) v(id)")
    assert run_one(con, Expectation("not_null", "id", {}, 1.0, True)).passed


def test_uniqueness_catches_a_duplicate_split_across_chunks(con) -> None:
    # ids 1..6 with id 1 again as the last row: chunks of 2 put the two copies in different chunks
    make_table(con, "SELECT * FROM (VALUES (1), (2), (3), (4), (5), (6), (1), (NULL)) v(id)")
    result = run_one(con, Expectation("unique", "id", {}, 1.0, True), chunk_rows=2)
    # 7 non-null ids, the 2 rows carrying id 1 are duplicates
    assert (result.unexpected_count, result.element_count, result.passed) == (2, 7, False)
    assert result.observed_value == pytest.approx(5 / 7)
    assert "e.g. 1" in result.message
    make_table(con, "SELECT range AS id FROM range(7)")
    passing = run_one(con, Expectation("unique", "id", {}, 1.0, True), chunk_rows=2)
    assert (passing.observed_value, passing.unexpected_count, passing.element_count, passing.passed) == (
        1.0,
        0,
        7,
        True,
    )


def test_chunking_gives_the_same_results_as_one_chunk(con) -> None:
    make_table(
        con,
        "SELECT range AS id, CASE WHEN range % 3 = 0 THEN NULL ELSE 'p' || range || '@x.com' END AS email, "
        "CASE WHEN range % 4 = 0 THEN -1 ELSE range END AS employees, "
        "CASE WHEN range % 5 = 0 THEN 'bad' ELSE '1' END AS type FROM range(11)",
    )
    suite = Suite(
        "t",
        "staging.t",
        None,
        (
            Expectation("not_null", "id", {}, 1.0, True),
            Expectation("unique", "id", {}, 1.0, True),
            Expectation("completeness", "email", {}, 0.85, True),
            Expectation("format", "email", {"regex": EMAIL_REGEX}, 0.99, True),
            Expectation("range", "employees", {"min_value": 0}, 0.99, True),
            Expectation("accepted_values", "type", {"values": ("1",)}, 1.0, False),
        ),
    )
    one = validate_suite(con, suite, run_date=RUN_DATE)
    chunked = validate_suite(con, suite, run_date=RUN_DATE, chunk_rows=2)
    assert chunked == one
    by_kind = {r.expectation: r for r in one}
    assert by_kind["completeness"].unexpected_count == 4  # 0, 3, 6, 9
    assert by_kind["range"].unexpected_count == 3  # 0, 4, 8
    assert by_kind["accepted_values"].unexpected_count == 3  # 0, 5, 10


def test_batches_are_validated_without_a_fingerprint_of_their_cells() -> None:
    """GX would hash every cell of each chunk for a batch marker; the validation turns that off
    (it was more than half of the validation's time) and still counts what it should."""
    import great_expectations as gx
    import pandas as pd

    from orchestration.quality.validate import _batch_definition

    frame = pd.DataFrame({"id": [1, 2, None]})
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    assert "pandas_data_fingerprint" not in batch.batch_markers
    assert set(batch.batch_markers) == {"ge_load_time"}
    result = batch.validate(gx.expectations.ExpectColumnValuesToNotBeNull(column="id"))
    assert (result.result["element_count"], result.result["unexpected_count"]) == (3, 1)


def add_delivery(con, rows: int, day: int) -> None:
    con.execute(
        "INSERT INTO meta.load_ledger (load_id, system, object, raw_table, file_path, status, rows_loaded, "
        "started_at, finished_at) VALUES (?, 'crm', 'lead', 'raw.crm__lead', ?, 'loaded', ?, ?, ?)",
        [f"l{day}", f"crm/lead/lead_{day}.csv", rows, datetime(2026, 11, day), datetime(2026, 11, day, 0, 1)],
    ).fetchall()


def test_volume_against_the_previous_delivery(con) -> None:
    make_table(con, "SELECT 1 AS id")
    ensure_meta_tables(con)
    volume = Expectation("volume", None, {}, 0.5, True)
    first = run_one(con, volume, raw_object="crm/lead")
    assert first.passed and "no delivery loaded yet" in first.message
    add_delivery(con, 100, 1)
    first = run_one(con, volume, raw_object="crm/lead")
    assert first.passed and "first delivery" in first.message
    add_delivery(con, 40, 2)
    shrunk = run_one(con, volume, raw_object="crm/lead")
    assert (shrunk.observed_value, shrunk.element_count, shrunk.unexpected_count, shrunk.passed) == (
        0.4,
        40,
        10,
        False,
    )
    assert "crm/lead/lead_2.csv has 40 rows, previous crm/lead/lead_1.csv had 100" in shrunk.message
    add_delivery(con, 30, 3)  # 30 of the previous 40 = 0.75: only the last two deliveries count
    recovered = run_one(con, volume, raw_object="crm/lead")
    assert (recovered.observed_value, recovered.passed) == (0.75, True)


def test_volume_passes_without_a_ledger(con) -> None:
    make_table(con, "SELECT 1 AS id")
    assert run_one(con, Expectation("volume", None, {}, 0.5, True), raw_object="crm/lead").passed


def test_results_are_appended_per_run_and_summarised(con) -> None:
    make_table(con, FOUR_EMAILS)
    suite = Suite(
        "t",
        "staging.t",
        None,
        (Expectation("not_null", "id", {}, 1.0, True), Expectation("completeness", "email", {}, 0.85, True)),
    )
    write_dq_results(con, "run-1", validate_suite(con, suite, run_date=RUN_DATE))
    write_dq_results(con, "run-2", validate_suite(con, suite, run_date=RUN_DATE))
    rows = con.execute(
        "SELECT run_id, column_name, observed_value, passed, blocking "
        "FROM meta.dq_results ORDER BY run_id, column_name"
    ).fetchall()
    assert rows == [
        ("run-1", "email", 0.75, False, True),
        ("run-1", "id", 1.0, True, True),
        ("run-2", "email", 0.75, False, True),
        ("run-2", "id", 1.0, True, True),
    ]
    summary = dq_summary(con, "run-2")
    assert "1 passed, 1 failed (1 blocking)" in summary
    assert "FAILED (blocking): staging.t.email completeness" in summary
    assert dq_summary(con, "run-3").endswith("no results")


# ----------------------------------------------------------------- scope: new_deliveries (event logs)

LOAD_1, LOAD_2, LOAD_3 = datetime(2026, 11, 1, 6), datetime(2026, 11, 2, 6), datetime(2026, 11, 3, 6)
EVENTS = Suite(
    "events",
    "staging.events",
    None,
    (
        Expectation("not_null", "event_id", {}, 1.0, True),
        Expectation("unique", "event_id", {}, 1.0, True),
        Expectation("accepted_values", "event_type", {"values": ("click", "open")}, 1.0, True),
    ),
    scope="new_deliveries",
)


def load_events(con, loaded_at: datetime, *rows: tuple[int | None, str]) -> None:
    """Append one delivery to the event log: every row carries the load's _loaded_at."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS staging.events "
        "(event_id INTEGER, event_type VARCHAR, _loaded_at TIMESTAMP)"
    ).fetchall()
    if rows:
        con.executemany("INSERT INTO staging.events VALUES (?, ?, ?)", [[*row, loaded_at] for row in rows])


def run_events(con, run_id: str, suite: Suite = EVENTS) -> dict[str, object]:
    """Validate and record one run (chunks of 2 rows); the results by expectation kind."""
    results = validate_suite(con, suite, run_date=RUN_DATE, chunk_rows=2)
    write_dq_results(con, run_id, results)
    return {result.expectation: result for result in results}


def counts(result) -> tuple[int, int, bool]:
    return result.element_count, result.unexpected_count, result.passed


def recorded_watermarks(con) -> list[tuple[str, datetime | None]]:
    return con.execute(
        "SELECT run_id, max(validated_through) FROM meta.dq_results GROUP BY run_id ORDER BY run_id"
    ).fetchall()


def test_an_event_log_suite_reads_each_delivery_until_it_passes(con) -> None:
    load_events(con, LOAD_1, (1, "click"), (2, "open"), (3, "click"))
    first = run_events(con, "run-1")  # nothing recorded yet: every row
    assert counts(first["not_null"]) == (3, 0, True)
    assert counts(first["accepted_values"]) == (3, 0, True)
    assert "on all rows loaded through 2026-11-01 06:00:00" in first["accepted_values"].message
    assert first["accepted_values"].validated_through == LOAD_1

    load_events(con, LOAD_2, (4, "open"), (5, "bogus"))
    second = run_events(con, "run-2")  # rows 4 and 5 only; 'bogus' is 1 of those 2
    assert counts(second["not_null"]) == (2, 0, True)
    assert counts(second["accepted_values"]) == (2, 1, False)
    assert second["accepted_values"].observed_value == 0.5
    assert second["accepted_values"].message.startswith(
        "FAILED (blocking): staging.events.event_type accepted_values {click, open} on rows loaded after "
        "2026-11-01 06:00:00 through 2026-11-02 06:00:00: observed 50.00% vs threshold 100.00% "
        "(1 of 2 non-null values valid)"
    )
    assert counts(second["unique"]) == (5, 0, True)  # over the whole table, not the window
    assert second["unique"].validated_through is None

    third = run_events(con, "run-3")  # nothing changed: run-2 failed, so the same two rows again
    assert counts(third["accepted_values"]) == (2, 1, False)
    assert "rows loaded after 2026-11-01 06:00:00 through 2026-11-02 06:00:00" in third["not_null"].message

    con.execute("DELETE FROM staging.events WHERE event_type = 'bogus'").fetchall()
    load_events(con, LOAD_3, (6, "click"), (7, "open"), (8, "click"))
    fourth = run_events(con, "run-4")  # still after LOAD_1: row 4 of load 2 and rows 6, 7, 8
    assert counts(fourth["not_null"]) == (4, 0, True)
    assert counts(fourth["accepted_values"]) == (4, 0, True)
    assert counts(fourth["unique"]) == (7, 0, True)

    fifth = run_events(con, "run-5")  # run-4 passed through LOAD_3: no new row
    assert counts(fifth["not_null"]) == (0, 0, True)
    assert counts(fifth["accepted_values"]) == (0, 0, True)
    assert fifth["accepted_values"].observed_value == 1.0
    assert fifth["accepted_values"].message == (
        "passed: staging.events.event_type accepted_values {click, open} on rows loaded after "
        "2026-11-03 06:00:00: observed 100.00% vs threshold 100.00% (no new rows)"
    )
    assert recorded_watermarks(con) == [
        ("run-1", LOAD_1),
        ("run-2", LOAD_2),  # what the failed runs covered is kept, but it is not the watermark
        ("run-3", LOAD_2),
        ("run-4", LOAD_3),
        ("run-5", LOAD_3),  # no new rows: the previous watermark
    ]
    assert "data quality run run-5: 3 passed, 0 failed (0 blocking)" in dq_summary(con, "run-5")


def test_a_failed_warning_does_not_hold_the_watermark_back(con) -> None:
    warning = Expectation("accepted_values", "event_type", {"values": ("click",)}, 1.0, False)
    suite = Suite("events", "staging.events", None, (warning,), scope="new_deliveries")
    load_events(con, LOAD_1, (1, "click"), (2, "open"))
    first = run_events(con, "run-1", suite)["accepted_values"]
    assert counts(first) == (2, 1, False) and first.message.startswith("FAILED (warning)")
    load_events(con, LOAD_2, (3, "click"))
    assert counts(run_events(con, "run-2", suite)["accepted_values"]) == (1, 0, True)


def test_unique_on_an_event_log_pairs_a_new_row_with_an_old_one(con) -> None:
    load_events(con, LOAD_1, (1, "click"), (2, "click"))
    run_events(con, "run-1")
    load_events(con, LOAD_2, (2, "open"), (3, "open"), (None, "open"))
    second = run_events(con, "run-2")
    assert counts(second["unique"]) == (4, 2, False)  # ids 1, 2, 2, 3: both rows of id 2
    assert counts(second["not_null"]) == (3, 1, False)  # the new rows only
    assert counts(second["accepted_values"]) == (3, 0, True)


def test_unique_on_an_event_log_groups_the_ids_its_window_carries(con) -> None:
    load_events(con, LOAD_1, (1, "click"), (2, "click"), (2, "open"))
    first = run_events(con, "run-1")  # no watermark yet: every id of the table
    assert counts(first["unique"]) == (3, 2, False)
    con.execute("DELETE FROM staging.events WHERE event_type = 'open'").fetchall()
    assert counts(run_events(con, "run-2")["unique"]) == (2, 0, True)  # passes: watermark LOAD_1
    # A row written behind the watermark (with an old load time) is in no later window; the rows of
    # LOAD_2 are, and id 2 pairs one of them with an old row.
    con.execute("INSERT INTO staging.events VALUES (1, 'click', ?)", [LOAD_1]).fetchall()
    load_events(con, LOAD_2, (2, "open"), (3, "open"))
    third = run_events(con, "run-3")
    # ids 1, 2, 1, 2, 3: the two rows of id 2 are found; id 1, which no new row carries, is not
    # grouped again (the whole table would give 4); the share is still over all 5 rows.
    assert counts(third["unique"]) == (5, 2, False)


def test_an_event_log_without_results_history_or_rows(con) -> None:
    load_events(con, LOAD_1)  # an empty log: the first run passes with nothing read
    empty = run_events(con, "run-1")
    assert counts(empty["not_null"]) == (0, 0, True)
    assert "(no rows loaded yet)" in empty["not_null"].message
    assert empty["not_null"].validated_through is None
    load_events(con, LOAD_1, (1, "click"))
    assert counts(run_events(con, "run-2")["not_null"]) == (1, 0, True)  # still no watermark: all rows


def test_a_results_table_from_before_the_watermark_gains_its_column(con) -> None:
    con.execute("CREATE SCHEMA meta").fetchall()
    con.execute(
        "CREATE TABLE meta.dq_results (run_id VARCHAR NOT NULL, checked_at TIMESTAMP NOT NULL, "
        "suite VARCHAR NOT NULL, relation VARCHAR NOT NULL, expectation VARCHAR NOT NULL, "
        "column_name VARCHAR, threshold DOUBLE NOT NULL, observed_value DOUBLE, unexpected_count BIGINT, "
        "element_count BIGINT, "
        "passed BOOLEAN NOT NULL, blocking BOOLEAN NOT NULL, message VARCHAR NOT NULL)"
    ).fetchall()
    con.execute(
        "INSERT INTO meta.dq_results VALUES ('old', TIMESTAMP '2026-10-01 00:00:00', 'events', "
        "'staging.events', 'not_null', 'event_id', 1.0, 1.0, 0, 9, true, true, 'passed: ...')"
    ).fetchall()
    load_events(con, LOAD_1, (1, "click"), (2, "open"))
    assert counts(run_events(con, "run-1")["not_null"]) == (2, 0, True)  # no watermark recorded: all rows
    assert recorded_watermarks(con) == [("old", None), ("run-1", LOAD_1)]
    load_events(con, LOAD_2, (3, "open"))
    assert counts(run_events(con, "run-2")["not_null"]) == (1, 0, True)


def test_all_rows_suites_record_no_watermark_and_read_every_row(con) -> None:
    load_events(con, LOAD_1, (1, "click"), (2, "open"))
    all_rows = Suite("events", "staging.events", None, EVENTS.expectations)
    run_events(con, "run-1", all_rows)
    load_events(con, LOAD_2, (3, "open"))
    second = run_events(con, "run-2", all_rows)
    assert counts(second["not_null"]) == (3, 0, True)
    assert "loaded" not in second["not_null"].message
    assert recorded_watermarks(con) == [("run-1", None), ("run-2", None)]


def test_an_event_log_suite_on_a_table_without_load_times_fails_clearly(con) -> None:
    make_table(con, "SELECT 1 AS id")
    suite = Suite("t", "staging.t", None, (Expectation("not_null", "id", {}, 1.0, True),), "new_deliveries")
    with pytest.raises(ValueError, match=r"scope new_deliveries but staging\.t has no _loaded_at"):
        validate_suite(con, suite, run_date=RUN_DATE)
