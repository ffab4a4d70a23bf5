"""Data-quality suites as code (expectations/*.yml) with their thresholds as data (dq_thresholds.csv).

The YAML files say *what* is checked on each staging table; the seed says *how strict* each check
is and whether it blocks. Both are validated when loaded, so a typo fails loudly, naming the file,
the row or suite and the rule broken, instead of silently checking nothing.

A suite's ``scope`` says which rows its column checks read: ``all_rows`` (the default), or
``new_deliveries`` for an immutable event log whose rows carry ``_loaded_at``: only the rows loaded
since the suite last passed (see ``orchestration/quality/validate.py``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

# kind -> the params it accepts (and must have)
CHECK_KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "completeness": (frozenset(), frozenset()),
    "not_null": (frozenset(), frozenset()),
    "unique": (frozenset(), frozenset()),
    "format": (frozenset({"regex"}), frozenset({"regex"})),
    "range": (frozenset({"min_value", "max_value"}), frozenset()),
    "accepted_values": (frozenset({"values", "values_from"}), frozenset()),
    "volume": (frozenset(), frozenset()),
}
TABLE_KINDS = frozenset({"volume"})
# Checks aggregated in DuckDB over the whole table rather than streamed chunk by chunk.
AGGREGATE_KINDS = frozenset({"unique", "volume"})
ALL_ROWS = "all_rows"
NEW_DELIVERIES = "new_deliveries"
SCOPES = (ALL_ROWS, NEW_DELIVERIES)
WILDCARD = "*"
THRESHOLD_COLUMNS = ("suite", "column_name", "check_name", "threshold", "blocking", "description")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RELATION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){1,2}$")
_RAW_OBJECT = re.compile(r"^[A-Za-z0-9_]+/[A-Za-z0-9_]+$")
_RUN_DATE_BOUND = re.compile(r"^run_date(?:\s*([+-])\s*(\d+)\s*days?)?$")


class QualityConfigError(ValueError):
    """A suite file or the thresholds file breaks a rule; the message names the file and the rule."""


@dataclass(frozen=True)
class Expectation:
    """One check on one column (or on the table, for volume) with its threshold in force."""

    kind: str
    column: str | None
    params: Mapping[str, Any] = field(default_factory=dict)
    threshold: float = 1.0
    blocking: bool = True


@dataclass(frozen=True)
class Suite:
    """The checks on one staging relation, the raw object whose deliveries feed it, and the rows
    its chunked column checks read (``scope``: all rows, or the new deliveries of an event log)."""

    name: str
    relation: str
    raw_object: str | None
    expectations: tuple[Expectation, ...]
    scope: str = ALL_ROWS

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the checks read, in order of first use (no other column is selected)."""
        seen: dict[str, None] = {}
        for expectation in self.expectations:
            if expectation.column is not None:
                seen.setdefault(expectation.column, None)
        return tuple(seen)


@dataclass(frozen=True)
class ThresholdRow:
    """One row of the thresholds file."""

    suite: str
    column_name: str
    check_name: str
    threshold: float
    blocking: bool
    line: int


def resolve_bound(value: Any, run_date: date) -> Any:
    """A range bound to compare with: numbers stay, dates (ISO or ``run_date + N days``) become dates."""
    if isinstance(value, bool):
        raise ValueError(f"bound {value!r} is not a number or a date")
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _RUN_DATE_BOUND.match(value.strip())
        if match:
            sign, days = match.group(1), int(match.group(2) or 0)
            return run_date + timedelta(days=days if sign != "-" else -days)
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"bound {value!r} is not a number, an ISO date or 'run_date [+|- N days]'")


def load_suites(expectations_dir: Path, thresholds_csv: Path) -> list[Suite]:
    """Read every ``<suite>.yml`` in ``expectations_dir`` and give each check its threshold.

    The most specific thresholds row wins: suite + column > suite + ``*`` > ``*`` + column > ``*`` + ``*``.
    Raises QualityConfigError naming the file and the rule on any problem in either file.
    """
    suite_files = sorted(Path(expectations_dir).glob("*.yml")) + sorted(Path(expectations_dir).glob("*.yaml"))
    if not suite_files:
        raise QualityConfigError(f"{expectations_dir}: no suite files (*.yml) found")
    drafts = [_read_suite_file(path) for path in suite_files]
    names = [draft["name"] for draft in drafts]
    for name in set(names):
        if names.count(name) > 1:
            raise QualityConfigError(f"{expectations_dir}: suite {name!r} is defined in more than one file")

    rows = read_thresholds(thresholds_csv)
    _check_rows_match_suites(thresholds_csv, rows, drafts)
    by_key = {(row.suite, row.column_name, row.check_name): row for row in rows}

    suites = []
    for draft in drafts:
        expectations = []
        for kind, column, params in draft["checks"]:
            row = _most_specific(by_key, draft["name"], column, kind)
            if row is None:
                raise QualityConfigError(
                    f"{draft['path']}: suite {draft['name']!r}, check {kind!r} on {column or 'the table'}: "
                    f"no threshold in {thresholds_csv} (add a '*,*,{kind},...' default row)"
                )
            expectations.append(Expectation(kind, column, params, row.threshold, row.blocking))
        suites.append(
            Suite(draft["name"], draft["relation"], draft["raw_object"], tuple(expectations), draft["scope"])
        )
    return suites


def _most_specific(
    by_key: Mapping[tuple[str, str, str], ThresholdRow], suite: str, column: str | None, kind: str
) -> ThresholdRow | None:
    column_key = column if column is not None else WILDCARD
    for key in ((suite, column_key), (suite, WILDCARD), (WILDCARD, column_key), (WILDCARD, WILDCARD)):
        row = by_key.get((*key, kind))
        if row is not None:
            return row
    return None


def read_thresholds(path: Path) -> list[ThresholdRow]:
    """Parse and validate the thresholds file (columns, check names, 0..1, booleans, duplicates)."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [column for column in THRESHOLD_COLUMNS if column not in header]
        if missing:
            raise QualityConfigError(f"{path}: missing column(s) {', '.join(missing)} in the header")
        rows: list[ThresholdRow] = []
        seen: dict[tuple[str, str, str], int] = {}
        for line, record in enumerate(reader, start=2):
            where = f"{path} row {line}"
            suite = (record["suite"] or "").strip()
            column = (record["column_name"] or "").strip()
            check = (record["check_name"] or "").strip()
            if not suite or not column:
                raise QualityConfigError(f"{where}: suite and column_name are required (use '*' for all)")
            if check not in CHECK_KINDS:
                raise QualityConfigError(
                    f"{where}: unknown check_name {check!r}; known: {', '.join(sorted(CHECK_KINDS))}"
                )
            if check in TABLE_KINDS and column != WILDCARD:
                raise QualityConfigError(f"{where}: {check} is a table check, column_name must be '*'")
            try:
                threshold = float(record["threshold"])
            except (TypeError, ValueError):
                raise QualityConfigError(
                    f"{where}: threshold {record['threshold']!r} is not a number"
                ) from None
            if not 0.0 <= threshold <= 1.0:
                raise QualityConfigError(f"{where}: threshold {threshold} is outside 0..1")
            blocking_text = (record["blocking"] or "").strip().lower()
            if blocking_text not in {"true", "false"}:
                raise QualityConfigError(f"{where}: blocking {record['blocking']!r} is not true or false")
            key = (suite, column, check)
            if key in seen:
                raise QualityConfigError(
                    f"{where}: duplicate of row {seen[key]} (suite {suite}, column {column}, check {check})"
                )
            seen[key] = line
            rows.append(ThresholdRow(suite, column, check, threshold, blocking_text == "true", line))
    return rows


def _check_rows_match_suites(path: Path, rows: list[ThresholdRow], drafts: list[dict[str, Any]]) -> None:
    """Every row must apply to something: a known suite, and a column that suite checks that way."""
    suites = {draft["name"]: draft for draft in drafts}
    for row in rows:
        where = f"{path} row {row.line}"
        if row.suite != WILDCARD and row.suite not in suites:
            raise QualityConfigError(
                f"{where}: unknown suite {row.suite!r}; suites in expectations/: {', '.join(sorted(suites))}"
            )
        if row.column_name == WILDCARD:
            continue
        targets = [suites[row.suite]] if row.suite != WILDCARD else list(suites.values())
        if not any((row.check_name, row.column_name) in {(k, c) for k, c, _ in d["checks"]} for d in targets):
            raise QualityConfigError(
                f"{where}: no suite{'' if row.suite == WILDCARD else ' ' + repr(row.suite)} "
                f"has a {row.check_name} check on column {row.column_name!r}"
            )


def _read_suite_file(path: Path) -> dict[str, Any]:
    """Parse one suite file into a draft (name, relation, raw object, checks without thresholds)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise QualityConfigError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise QualityConfigError(f"{path}: expected a mapping with suite, relation, expectations")
    unknown_keys = set(document) - {"suite", "relation", "raw_object", "description", "scope", "expectations"}
    if unknown_keys:
        raise QualityConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown_keys))}")
    name = document.get("suite")
    if name != path.stem:
        raise QualityConfigError(f"{path}: suite is {name!r}, must be the file's name {path.stem!r}")
    relation = document.get("relation")
    if not isinstance(relation, str) or not _RELATION.match(relation):
        raise QualityConfigError(f"{path}: suite {name!r}: relation {relation!r} is not schema.table")
    raw_object = document.get("raw_object")
    if raw_object is not None and (not isinstance(raw_object, str) or not _RAW_OBJECT.match(raw_object)):
        raise QualityConfigError(f"{path}: suite {name!r}: raw_object {raw_object!r} is not system/object")
    scope = document.get("scope", ALL_ROWS)
    if scope not in SCOPES:
        raise QualityConfigError(f"{path}: suite {name!r}: scope {scope!r} is not one of {', '.join(SCOPES)}")
    items = document.get("expectations")
    if not isinstance(items, list) or not items:
        raise QualityConfigError(f"{path}: suite {name!r}: expectations must be a non-empty list")

    checks: list[tuple[str, str | None, dict[str, Any]]] = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: suite {name!r}, expectation {number}"
        if not isinstance(item, dict) or "kind" not in item:
            raise QualityConfigError(f"{where}: expected a mapping with a kind")
        kind = item["kind"]
        if kind not in CHECK_KINDS:
            raise QualityConfigError(
                f"{where}: unknown check kind {kind!r}; known: {', '.join(sorted(CHECK_KINDS))}"
            )
        allowed, required = CHECK_KINDS[kind]
        params = {key: value for key, value in item.items() if key not in {"kind", "column", "columns"}}
        unknown = set(params) - allowed
        if unknown:
            raise QualityConfigError(f"{where} ({kind}): unknown parameter(s) {', '.join(sorted(unknown))}")
        if required - set(params):
            raise QualityConfigError(f"{where} ({kind}): missing {', '.join(sorted(required - set(params)))}")
        params = _checked_params(where, kind, params, path)
        columns = _columns_of(where, kind, item)
        if kind in TABLE_KINDS and raw_object is None:
            raise QualityConfigError(f"{where} ({kind}): needs the suite's raw_object")
        checks.extend((kind, column, params) for column in columns)
    pairs = [(kind, column, repr(params)) for kind, column, params in checks]
    for pair in pairs:
        if pairs.count(pair) > 1:
            raise QualityConfigError(f"{path}: suite {name!r}: check {pair[0]} on {pair[1]} is listed twice")
    return {
        "path": path,
        "name": name,
        "relation": relation,
        "raw_object": raw_object,
        "scope": scope,
        "checks": checks,
    }


def _columns_of(where: str, kind: str, item: Mapping[str, Any]) -> list[str | None]:
    if kind in TABLE_KINDS:
        if "column" in item or "columns" in item:
            raise QualityConfigError(f"{where} ({kind}): a table check takes no column")
        return [None]
    if ("column" in item) == ("columns" in item):
        raise QualityConfigError(f"{where} ({kind}): give exactly one of column or columns")
    columns = [item["column"]] if "column" in item else item["columns"]
    if not isinstance(columns, list) or not columns:
        raise QualityConfigError(f"{where} ({kind}): columns must be a non-empty list")
    for column in columns:
        if not isinstance(column, str) or not _IDENTIFIER.match(column):
            raise QualityConfigError(f"{where} ({kind}): {column!r} is not a column name")
    return list(columns)


def _checked_params(where: str, kind: str, params: dict[str, Any], path: Path) -> dict[str, Any]:
    """Validate a check's parameters now, so a bad regex or bound fails at load, not mid-run."""
    if kind == "format":
        try:
            re.compile(params["regex"])
        except (re.error, TypeError) as error:
            raise QualityConfigError(
                f"{where} (format): regex {params['regex']!r} is invalid: {error}"
            ) from None
    if kind == "range":
        if not params:
            raise QualityConfigError(f"{where} (range): give min_value, max_value or both")
        for key, value in params.items():
            try:
                resolve_bound(value, date(2000, 1, 1))
            except ValueError as error:
                raise QualityConfigError(f"{where} (range): {key}: {error}") from None
    if kind == "accepted_values":
        if ("values" in params) == ("values_from" in params):
            raise QualityConfigError(f"{where} (accepted_values): give exactly one of values or values_from")
        if "values" in params:
            values = params["values"]
            if not isinstance(values, list) or not values:
                raise QualityConfigError(f"{where} (accepted_values): values must be a non-empty list")
            return {"values": tuple(str(value) for value in values)}
        return {"values": _values_from(where, params["values_from"], path)}
    return params


def _values_from(where: str, spec: Any, suite_path: Path) -> tuple[str, ...]:
    """The distinct values of one column of a seed CSV (path relative to the suite file), filtered."""
    if (
        not isinstance(spec, dict)
        or not {"file", "column"} <= set(spec)
        or set(spec) - {"file", "column", "where"}
    ):
        raise QualityConfigError(
            f"{where} (accepted_values): values_from needs file, column and optional where"
        )
    source = (suite_path.parent / spec["file"]).resolve()
    if not source.is_file():
        raise QualityConfigError(f"{where} (accepted_values): values_from file {source} not found")
    conditions = {str(key): str(value) for key, value in (spec.get("where") or {}).items()}
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in [spec["column"], *conditions] if c not in (reader.fieldnames or ())]
        if missing:
            raise QualityConfigError(
                f"{where} (accepted_values): {source} has no column {', '.join(missing)}"
            )
        values = {
            row[spec["column"]]
            for row in reader
            if all(row[key] == value for key, value in conditions.items()) and row[spec["column"]]
        }
    if not values:
        raise QualityConfigError(f"{where} (accepted_values): no values in {source} match {conditions}")
    return tuple(sorted(values))
