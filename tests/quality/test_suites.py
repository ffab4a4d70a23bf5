"""The shipped suites and thresholds load; precedence and every load-time rule, on tiny hand-made files."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.quality.suites import QualityConfigError, load_suites, resolve_bound

ROOT = Path(__file__).resolve().parents[2]
EXPECTATIONS = ROOT / "expectations"
THRESHOLDS = ROOT / "seeds" / "quality" / "dq_thresholds.csv"
HEADER = "suite,column_name,check_name,threshold,blocking,description\n"
SCORING_TABLES = {
    "stg_crm__leads",
    "stg_crm__contacts",
    "stg_crm__accounts",
    "stg_crm__opportunities",
    "stg_map__leads",
    "stg_map__activities",
    "stg_web__page_views",
}


def write_suite(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yml"
    path.write_text(body, encoding="utf-8")
    return path


def write_thresholds(path: Path, rows: str) -> Path:
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


SUITE_A = """
suite: suite_a
relation: staging.table_a
raw_object: crm/lead
expectations:
  - {kind: completeness, columns: [email, title]}
  - {kind: not_null, column: id}
  - {kind: volume}
"""
SUITE_B = """
suite: suite_b
relation: staging.table_b
expectations:
  - {kind: completeness, columns: [email, title]}
"""
DEFAULTS = "*,*,completeness,0.85,true,default\n*,*,not_null,1.0,true,ids\n*,*,volume,0.5,true,volume\n"


@pytest.fixture
def two_suites(tmp_path: Path) -> Path:
    folder = tmp_path / "expectations"
    write_suite(folder, "suite_a", SUITE_A)
    write_suite(folder, "suite_b", SUITE_B)
    return folder


def thresholds_of(suites, suite: str) -> dict[tuple[str, str | None], tuple[float, bool]]:
    [found] = [s for s in suites if s.name == suite]
    return {(e.kind, e.column): (e.threshold, e.blocking) for e in found.expectations}


def test_every_shipped_suite_loads_with_thresholds_and_covers_the_scoring_tables() -> None:
    suites = load_suites(EXPECTATIONS, THRESHOLDS)
    names = {suite.name for suite in suites}
    assert names >= SCORING_TABLES
    for suite in suites:
        assert suite.relation == f"staging.{suite.name}"
        assert suite.raw_object and "/" in suite.raw_object
        kinds = {e.kind for e in suite.expectations}
        assert {"not_null", "unique", "volume"} <= kinds, suite.name
        assert all(0.0 <= e.threshold <= 1.0 for e in suite.expectations)
    leads = thresholds_of(suites, "stg_crm__leads")
    assert leads[("completeness", "email")] == (0.85, True)  # the product default
    assert leads[("completeness", "industry")] == (0.55, True)  # the lead override
    assert leads[("volume", None)] == (0.5, False)  # a warning: daily deltas are smaller than full extracts


def test_known_activity_types_come_from_the_taxonomy_seed() -> None:
    [activities] = [s for s in load_suites(EXPECTATIONS, THRESHOLDS) if s.name == "stg_map__activities"]
    [check] = [e for e in activities.expectations if e.kind == "accepted_values"]
    assert check.column == "activity_type_id"
    assert {"1", "2", "10", "100001"} <= set(check.params["values"])
    assert "page_view" not in check.params["values"]  # a web type, not a marketing-automation one


def test_most_specific_threshold_wins(two_suites: Path, tmp_path: Path) -> None:
    csv_path = write_thresholds(
        tmp_path / "t.csv",
        DEFAULTS
        + "*,title,completeness,0.6,true,any suite's title\n"
        + "suite_a,*,completeness,0.7,false,suite_a's fields\n"
        + "suite_a,email,completeness,0.9,true,suite_a's email\n",
    )
    suites = load_suites(two_suites, csv_path)
    a, b = thresholds_of(suites, "suite_a"), thresholds_of(suites, "suite_b")
    assert a[("completeness", "email")] == (0.9, True)  # suite + column
    assert a[("completeness", "title")] == (0.7, False)  # suite + * beats * + column
    assert b[("completeness", "title")] == (0.6, True)  # * + column
    assert b[("completeness", "email")] == (0.85, True)  # * + *
    assert a[("not_null", "id")] == (1.0, True)
    assert a[("volume", None)] == (0.5, True)


@pytest.mark.parametrize(
    ("rows", "rule"),
    [
        (DEFAULTS + "*,*,completness,0.8,true,typo\n", "unknown check_name 'completness'"),
        (DEFAULTS + "suite_a,email,completeness,1.5,true,too high\n", "outside 0..1"),
        (DEFAULTS + "suite_a,email,completeness,-0.1,true,too low\n", "outside 0..1"),
        (DEFAULTS + "suite_a,email,completeness,high,true,not a number\n", "is not a number"),
        (DEFAULTS + "suite_c,*,completeness,0.8,true,no such suite\n", "unknown suite 'suite_c'"),
        (DEFAULTS + "*,*,completeness,0.9,true,again\n", "duplicate of row 2"),
        (DEFAULTS + "suite_a,emial,completeness,0.8,true,typo\n", "column 'emial'"),
        (DEFAULTS + "suite_a,email,completeness,0.8,yes,not a boolean\n", "not true or false"),
        ("*,*,completeness,0.85,true,no not_null default\n*,*,volume,0.5,true,v\n", "no threshold"),
    ],
)
def test_a_bad_thresholds_file_fails_naming_the_file_and_rule(
    two_suites: Path, tmp_path: Path, rows: str, rule: str
) -> None:
    csv_path = write_thresholds(tmp_path / "dq_thresholds.csv", rows)
    with pytest.raises(QualityConfigError) as raised:
        load_suites(two_suites, csv_path)
    message = str(raised.value)
    assert rule in message
    assert "dq_thresholds.csv" in message or "suite_a.yml" in message


def test_a_thresholds_file_without_a_column_fails(two_suites: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "dq_thresholds.csv"
    csv_path.write_text(
        "suite,column_name,threshold,blocking,description\n*,*,0.85,true,x\n", encoding="utf-8"
    )
    with pytest.raises(QualityConfigError, match=r"dq_thresholds\.csv: missing column\(s\) check_name"):
        load_suites(two_suites, csv_path)


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (SUITE_A.replace("kind: not_null", "kind: not_nul"), "unknown check kind 'not_nul'"),
        (SUITE_A.replace("suite: suite_a", "suite: other"), "must be the file's name"),
        (SUITE_A.replace("staging.table_a", "table a"), "is not schema.table"),
        (SUITE_A.replace("raw_object: crm/lead\n", ""), "needs the suite's raw_object"),
        (SUITE_A + "  - {kind: format, column: email, regex: '(unclosed'}\n", "regex '(unclosed' is invalid"),
        (SUITE_A + "  - {kind: range, column: n, min_value: yesterday}\n", "min_value"),
        (SUITE_A + "  - {kind: range, column: n}\n", "give min_value, max_value or both"),
        (SUITE_A + "  - {kind: format, column: email}\n", "missing regex"),
        (SUITE_A + "  - {kind: completeness, column: email, mostly: 0.5}\n", "unknown parameter(s) mostly"),
        (SUITE_A + "  - {kind: not_null, column: id}\n", "listed twice"),
        (SUITE_A + "  - {kind: accepted_values, column: t, values: []}\n", "non-empty list"),
    ],
)
def test_a_bad_suite_file_fails_naming_the_file_suite_and_rule(tmp_path: Path, body: str, rule: str) -> None:
    folder = tmp_path / "expectations"
    write_suite(folder, "suite_a", body)
    csv_path = write_thresholds(
        tmp_path / "t.csv", DEFAULTS + "*,*,format,0.99,true,f\n*,*,range,0.99,true,r\n"
    )
    with pytest.raises(QualityConfigError) as raised:
        load_suites(folder, csv_path)
    message = str(raised.value)
    assert "suite_a.yml" in message
    assert rule in message


def test_accepted_values_from_a_seed_file_relative_to_the_suite(tmp_path: Path) -> None:
    (tmp_path / "types.csv").write_text("system,code\nmap,1\nmap,2\nweb,page_view\n", encoding="utf-8")
    folder = tmp_path / "expectations"
    write_suite(
        folder,
        "suite_a",
        "suite: suite_a\nrelation: s.t\nexpectations:\n"
        "  - kind: accepted_values\n    column: type\n"
        "    values_from: {file: ../types.csv, column: code, where: {system: map}}\n",
    )
    csv_path = write_thresholds(tmp_path / "t.csv", "*,*,accepted_values,1.0,false,warn\n")
    [suite] = load_suites(folder, csv_path)
    assert suite.expectations[0].params["values"] == ("1", "2")
    assert suite.expectations[0].blocking is False


def test_run_date_bounds_resolve_relative_to_the_run() -> None:
    from datetime import date

    run = date(2026, 11, 29)
    assert resolve_bound("run_date + 1 day", run) == date(2026, 11, 30)
    assert resolve_bound("run_date - 7 days", run) == date(2026, 11, 22)
    assert resolve_bound("run_date", run) == run
    assert resolve_bound("1900-01-01", run) == date(1900, 1, 1)
    assert resolve_bound(0, run) == 0
    with pytest.raises(ValueError):
        resolve_bound("tomorrow", run)


def test_scope_defaults_to_all_rows_and_the_event_logs_read_new_deliveries(
    two_suites: Path, tmp_path: Path
) -> None:
    scopes = {suite.name: suite.scope for suite in load_suites(EXPECTATIONS, THRESHOLDS)}
    assert scopes["stg_map__activities"] == scopes["stg_web__page_views"] == "new_deliveries"
    assert scopes["stg_crm__leads"] == "all_rows"
    write_suite(
        two_suites, "suite_b", SUITE_B.replace("expectations:", "scope: new_deliveries\nexpectations:")
    )
    csv_path = write_thresholds(tmp_path / "t.csv", DEFAULTS)
    assert {s.name: s.scope for s in load_suites(two_suites, csv_path)} == {
        "suite_a": "all_rows",
        "suite_b": "new_deliveries",
    }


@pytest.mark.parametrize("value", ["new_rows", "", "[all_rows]"])
def test_an_unknown_scope_fails_naming_the_file_and_the_allowed_values(tmp_path: Path, value: str) -> None:
    folder = tmp_path / "expectations"
    write_suite(folder, "suite_a", SUITE_A.replace("expectations:", f"scope: {value}\nexpectations:"))
    csv_path = write_thresholds(tmp_path / "t.csv", DEFAULTS)
    with pytest.raises(QualityConfigError) as raised:
        load_suites(folder, csv_path)
    message = str(raised.value)
    assert "suite_a.yml" in message
    assert "scope" in message and "is not one of all_rows, new_deliveries" in message
