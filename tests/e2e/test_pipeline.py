"""End to end: `mqa generate` then `mqa run` on the small preset, through real Dagster, dbt and DuckDB.

The expected counts come from the generator's own manifest of what it wrote (an independent
route: it is written before the warehouse sees any file), never from the warehouse's output.
The tests share one data directory (a copy of the session's built small world, tests/e2e/conftest.py)
and run in file order: first run, re-run, bad delivery.
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from .cli import mqa

pytestmark = pytest.mark.e2e

STAGING_MODEL_BY_OBJECT = {
    "crm/account": "stg_crm__accounts",
    "crm/contact": "stg_crm__contacts",
    "crm/lead": "stg_crm__leads",
    "crm/opportunity": "stg_crm__opportunities",
    "crm/opportunity_contact_role": "stg_crm__opportunity_contact_roles",
    "crm/campaign": "stg_crm__campaigns",
    "crm/campaign_member": "stg_crm__campaign_members",
    "crm/task": "stg_crm__tasks",
    "crm/user": "stg_crm__users",
    "crm/mql_disposition": "stg_crm__mql_dispositions",
    "map/lead": "stg_map__leads",
    "map/activity": "stg_map__activities",
    "web/page_view": "stg_web__page_views",
}


def query(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def counts(data_dir: Path, relations: list[str]) -> dict[str, int]:
    return {relation: query(data_dir, f"select count(*) from {relation}")[0][0] for relation in relations}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_small_world: Callable[[Path], Path]) -> Path:
    """The small preset after `mqa generate` and its first `mqa run` (built once per session)."""
    return copy_small_world(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="module")
def manifest(data_dir: Path) -> dict:
    return json.loads((data_dir / "truth" / "manifest.json").read_text(encoding="utf-8"))


def test_staging_has_every_record_the_generator_wrote_except_the_malformed(
    data_dir: Path, manifest: dict
) -> None:
    assert set(manifest["objects"]) == set(STAGING_MODEL_BY_OBJECT)
    for obj, written in manifest["objects"].items():
        expected = written["distinct_ids"] - len(written["malformed_rows"])
        model = STAGING_MODEL_BY_OBJECT[obj]
        assert counts(data_dir, [f"staging.{model}"])[f"staging.{model}"] == expected, obj


def test_quarantine_holds_exactly_the_malformed_rows(data_dir: Path, manifest: dict) -> None:
    # One quarantined record may carry several problems (rows), but each malformed record is there once.
    records = query(
        data_dir,
        "select object, file_path, line_number, any_value(raw_record) from meta.quarantine group by all",
    )
    expected = sorted((row["object"], row["id"]) for row in manifest["malformed_rows"])
    found = sorted(
        (obj, record_id)
        for obj, record_id in expected
        for q_obj, _, _, raw in records
        if q_obj == obj and record_id in raw
    )
    assert len(records) == len(expected)
    assert found == expected


def test_every_asset_was_materialised_in_the_dagster_instance(
    data_dir: Path, dbt_manifest_ready: None
) -> None:
    from orchestration.definitions import defs

    asset_keys = defs().resolve_asset_graph().get_all_asset_keys()
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        missing = [key for key in asset_keys if instance.get_latest_materialization_event(key) is None]
    assert missing == []


def test_the_shipped_quality_suites_pass_on_the_clean_sample(data_dir: Path) -> None:
    """Every expectation of every shipped suite passes on the clean small world, warnings included.

    Every row is checked: the event-log suites (scope new_deliveries) would otherwise read only the
    rows after the watermark the pipeline's own run left, that is none."""
    from dataclasses import replace

    from orchestration.quality.suites import load_suites
    from orchestration.quality.validate import validate_suite
    from orchestration.settings import PROJECT_ROOT

    suites = load_suites(
        PROJECT_ROOT / "expectations", PROJECT_ROOT / "seeds" / "quality" / "dq_thresholds.csv"
    )
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as warehouse:
        (last_load,) = warehouse.execute("select max(finished_at) from meta.load_ledger").fetchall()[0]
        failures = [
            result.message
            for suite in suites
            for result in validate_suite(
                warehouse, replace(suite, scope="all_rows"), run_date=last_load.date()
            )
            if not result.passed
        ]
    assert failures == []


def test_identity_bridges_hold_every_person_record_of_the_ground_truth(data_dir: Path) -> None:
    truth = set(
        query(
            data_dir,
            f"select source_system, source_object, source_record_id "
            f"from read_csv('{data_dir / 'truth' / 'person_records.csv'}', all_varchar = true)",
        )
    )
    bridged = query(
        data_dir, "select source_system, source_object, source_record_id from marts.bridge_person_records"
    )
    assert len(bridged) == len(set(bridged))
    assert set(bridged) == truth
    persons_without_records = query(
        data_dir,
        "select count(*) from marts.dim_persons p "
        "where not exists (select 1 from marts.bridge_person_records b where b.person_id = p.person_id)",
    )
    assert persons_without_records == [(0,)]


def test_the_attribute_table_holds_each_attribute_a_seed_names_for_every_person(data_dir: Path) -> None:
    """int_person_attributes_unpivoted unpivots only the attributes the seeds name (read here from the
    seed files themselves): one row per person and named attribute, missing values included."""
    seeds = Path(__file__).resolve().parents[2] / "seeds"

    def column(path: str, name: str, kind: str | None = None) -> set[str]:
        with (seeds / path).open(encoding="utf-8", newline="") as handle:
            return {row[name] for row in csv.DictReader(handle) if kind is None or row["kind"] == kind}

    named = (
        column("scoring/fit_rules.csv", "attribute")
        | column("scoring/fit_critical_fields.csv", "attribute")
        | column("scoring/scoring_models.csv", "segment_attribute")
        | column("learning/learning_features.csv", "source", kind="attribute")
    )
    unpivoted = query(
        data_dir, "select attribute, count(*) from intermediate.int_person_attributes_unpivoted group by 1"
    )
    (persons,) = query(data_dir, "select count(*) from marts.dim_persons")[0]
    assert dict(unpivoted) == dict.fromkeys(named, persons)


def test_the_engagement_report_points_are_what_each_week_earned_in_core(data_dir: Path) -> None:
    """The points a week earned in 'core', worked out in Python from the activities and the rules,
    an independent route: each event's rule points, scaled down by cap / raw when the person's raw
    points of its type within its calendar cap window (days since 1970-01-01 // cap_window_days, every
    event up to the scoring date) exceed the cap; no decay, no lookback. Summed per account, person,
    week and event type, they are int_account_person_week_touches' points, and per account, week and
    event type the report's event-type cut."""
    (as_of,) = query(data_dir, "select as_of_date from intermediate.int_scoring_as_of")[0]
    rules = {
        event_type: (points, cap_points, cap_window_days)
        for event_type, points, cap_points, cap_window_days in query(
            data_dir,
            "select event_type, points, cap_points, cap_window_days from reference.interest_rules "
            "where model_id = 'core'",
        )
    }
    events = query(
        data_dir,
        "select account_id, person_id, activity_date, event_type from marts.fct_activities "
        "where account_id is not null and activity_date <= ?",
        [as_of],
    )
    epoch = date(1970, 1, 1)

    def window(event: tuple) -> tuple:
        _, person_id, activity_date, event_type = event
        cap_window_days = rules[event_type][2]
        days = (activity_date - epoch).days
        return person_id, event_type, days // cap_window_days if cap_window_days else None

    scored = [event for event in events if event[3] in rules]
    raw = Counter()
    for event in scored:
        raw[window(event)] += rules[event[3]][0]
    expected: Counter = Counter()
    for event in scored:
        account_id, person_id, activity_date, event_type = event
        points, cap_points, _ = rules[event_type]
        window_raw = raw[window(event)]
        factor = cap_points / window_raw if cap_points is not None and window_raw > cap_points else 1.0
        week_start = activity_date - timedelta(days=activity_date.weekday())
        expected[account_id, person_id, week_start, event_type] += points * factor
    touches = query(
        data_dir,
        "select account_id, person_id, week_start, event_type, sum(interest_points) "
        "from intermediate.int_account_person_week_touches group by all",
    )
    actual = {row[:4]: row[4] for row in touches}
    assert sum(1 for value in expected.values() if abs(value) > 1e-9) > 100
    assert all(
        math.isclose(actual.get(key, 0.0), expected.get(key, 0.0), abs_tol=1e-9)
        for key in actual.keys() | expected.keys()
    )
    by_account_week: Counter = Counter()
    for (account_id, _, week_start, event_type), value in expected.items():
        by_account_week[account_id, week_start, event_type] += value
    report = query(
        data_dir,
        "select account_id, week_start, breakdown_value, interest_points from marts.rpt_account_engagement "
        "where breakdown = 'event_type'",
    )
    reported = {row[:3]: row[3] for row in report}
    assert all(
        math.isclose(reported.get(key, 0.0), by_account_week.get(key, 0.0), abs_tol=1e-9)
        for key in reported.keys() | by_account_week.keys()
    )


def test_running_again_on_the_same_files_changes_nothing(data_dir: Path) -> None:
    tables = ["raw.crm__lead", "raw.map__activity", "meta.load_ledger", "meta.quarantine"]
    before = counts(data_dir, tables)
    again = mqa(data_dir, "run")
    assert again.returncode == 0, again.stderr[-3000:]
    assert counts(data_dir, tables) == before


def test_a_run_parses_only_once_for_its_warehouse(data_dir: Path) -> None:
    # The data directory was copied to a new path, so the run before this one had to parse for the
    # new warehouse path once; this run's three dbt steps start from that parse and re-parse nothing.
    started = time.time()
    ran = mqa(data_dir, "run")
    assert ran.returncode == 0, ran.stderr[-3000:]
    logs = [log for log in (data_dir / "dbt_target").glob("*/dbt.log") if log.stat().st_mtime >= started]
    assert len(logs) == 3, logs
    for log in logs:
        # dbt rotates its log at 10 MB: the start of a long invocation is in dbt.log.1
        text = "".join(part.read_text(encoding="utf-8") for part in sorted(log.parent.glob("dbt.log*")))
        assert "Running with dbt" in text, log
        assert "Partial parsing enabled" in text, log
        assert "Unable to do partial parsing" not in text, log
    stamp = json.loads((data_dir / "dbt_target" / "parsed_for.json").read_text(encoding="utf-8"))
    assert stamp["MQA_DUCKDB_PATH"] == str(data_dir / "warehouse.duckdb")


def test_rescoring_past_days_fills_the_history_point_in_time(data_dir: Path) -> None:
    latest = query(data_dir, "select max(activity_date) from marts.fct_activities")[0][0]
    first, second = latest - timedelta(days=14), latest - timedelta(days=7)
    rescored = mqa(
        data_dir, "rescore", "--from", first.isoformat(), "--to", second.isoformat(), "--every", "7"
    )
    assert rescored.returncode == 0, rescored.stdout[-3000:] + rescored.stderr[-3000:]
    days = query(data_dir, "select distinct as_of_date from marts.fct_person_score_history order by 1")
    assert [day for (day,) in days] == [first, second, latest]
    # the current marts are back on the latest day
    assert query(data_dir, "select distinct as_of_date from marts.fct_person_scores") == [(latest,)]
    # every MQL event is a scored day, and on the first scored day every MQL is a (first) event
    events_by_day = dict(query(data_dir, "select mql_date, count(*) from marts.fct_mql_events group by 1"))
    assert set(events_by_day) <= {first, second, latest}
    mqls_on_first = query(
        data_dir,
        "select count(*) from marts.fct_person_score_history where is_mql and as_of_date = ?",
        [first],
    )
    assert events_by_day[first] == mqls_on_first[0][0] > 0


def test_evaluate_accounts_reads_the_history_it_was_given(data_dir: Path) -> None:
    evaluated = mqa(data_dir, "evaluate", "accounts", "--json")
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    results = {result["model_id"]: result for result in json.loads(evaluated.stdout)}
    assert set(results) == {"core", "emea"}
    assert all(result["scored_days"] == 3 for result in results.values())  # the three days scored above


def test_validation_reports_every_method_with_the_auc_sklearn_computes(data_dir: Path) -> None:
    """The rank-sum AUC in SQL agrees with scikit-learn's on the same predictions (an independent
    route), for the four methods, the challenger included (its Dagster asset ran between the dbt steps)."""
    from sklearn.metrics import roc_auc_score

    reported = {
        (row[0], row[1], row[2]): row[3]
        for row in query(
            data_dir,
            "select entity_type, model_id, method, auc from marts.rpt_model_validation where split = 'test'",
        )
    }
    assert {key[2] for key in reported} == {"rules", "learned", "blended", "challenger"}
    predictions = query(
        data_dir,
        "select entity_type, model_id, method, label, score from intermediate.int_learning_predictions "
        "where split = 'test'",
    )
    groups: dict[tuple, tuple[list, list]] = {}
    for entity_type, model_id, method, label, score in predictions:
        labels, scores = groups.setdefault((entity_type, model_id, method), ([], []))
        labels.append(int(label))
        scores.append(score)
    assert set(groups) == set(reported)
    for key, (labels, scores) in groups.items():
        assert reported[key] == pytest.approx(roc_auc_score(labels, scores), abs=1e-9), key


def test_learned_weights_are_the_smoothed_log_odds_of_the_training_examples(data_dir: Path) -> None:
    """Recompute one feature's weights of evidence in Python from the examples and features."""
    (smoothing, minimum) = query(
        data_dir,
        "select smoothing_strength, min_bucket_examples from reference.learning_settings "
        "where model_id = 'core' and entity_type = 'person'",
    )[0]
    rows = query(
        data_dir,
        "select f.bucket, e.label from intermediate.int_learning_features as f "
        "join intermediate.int_learning_examples as e using (entity_type, model_id, entity_id, cutoff_date) "
        "where e.split = 'train' and e.entity_type = 'person' and e.model_id = 'core' "
        "and f.feature_id = 'seniority'",
    )
    positives = sum(label for _, label in rows)
    base = positives / len(rows)
    counts: dict[str, list[int]] = {}
    for bucket, label in rows:
        counts.setdefault(bucket, [0, 0])
        counts[bucket][0] += 1
        counts[bucket][1] += int(label)
    pooled = [sum(c[i] for c in counts.values() if c[0] < minimum) for i in (0, 1)]
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    expected = {}
    for bucket, (n, k) in counts.items():
        n, k = pooled if n < minimum else (n, k)
        expected[bucket] = logit((k + smoothing * base) / (n + smoothing)) - logit(base)
    learned = dict(
        query(
            data_dir,
            "select bucket, learned_weight from marts.fct_learned_weights "
            "where entity_type = 'person' and model_id = 'core' and feature_id = 'seniority'",
        )
    )
    assert learned.keys() == expected.keys()
    for bucket, weight in expected.items():
        assert learned[bucket] == pytest.approx(weight, abs=1e-9), bucket


def test_no_feature_counts_an_activity_after_its_cutoff(data_dir: Path) -> None:
    leaked = query(
        data_dir,
        "select count(*) from intermediate.int_learning_features "
        "where cast(last_fact_at as date) > cutoff_date",
    )[0][0]
    assert leaked == 0
    # and every training label lies after its cutoff and before the first test cutoff
    (overlap,) = query(
        data_dir,
        "select count(*) from intermediate.int_learning_examples as train "
        "join (select entity_type, model_id, min(cutoff_date) as first_test "
        "from intermediate.int_learning_examples where split = 'test' group by all) as test "
        "using (entity_type, model_id) "
        "where train.split = 'train' and train.horizon_end_date > test.first_test",
    )[0]
    assert overlap == 0


def test_evaluate_scoring_prints_every_model(data_dir: Path) -> None:
    evaluated = mqa(data_dir, "evaluate", "scoring", "--json")
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    results = {(r["entity_type"], r["model_id"]): r for r in json.loads(evaluated.stdout)}
    assert set(results) == {("person", "core"), ("person", "emea"), ("account", "core"), ("account", "emea")}
    for result in results.values():
        assert {m["method"] for m in result["methods"]} == {"rules", "learned", "blended", "challenger"}


def test_a_delivery_missing_a_required_column_fails_the_run_and_loses_nothing(data_dir: Path) -> None:
    before = counts(data_dir, ["raw.crm__lead", "staging.stg_crm__leads"])
    bad_file = data_dir / "landing" / "crm" / "lead" / "lead_2026-11-21.csv"
    bad_file.write_text(
        "Id,FirstName,LastName,Email,CreatedDate,SystemModstamp\r\n"
        "00Q000000000000XYZ,Ada,Lovelace,ada@example.org,2026-11-21T08:00:00.000Z,2026-11-21T08:00:00.000Z\r\n",
        encoding="utf-8",
    )
    failed = mqa(data_dir, "run")
    assert failed.returncode != 0
    assert "crm/lead/lead_2026-11-21.csv" in failed.stderr
    assert "company" in failed.stderr
    assert counts(data_dir, ["raw.crm__lead", "staging.stg_crm__leads"]) == before
    ledger = query(
        data_dir, "select status from meta.load_ledger where file_path like '%lead_2026-11-21.csv'"
    )
    assert ledger == [("failed",)]


def _redeliver_leads(data_dir: Path, name: str, modstamp: str, *, blank_titles: bool) -> None:
    """Every CRM lead again with a newer SystemModstamp (so staging takes these versions)."""
    import pandas as pd

    original = sorted((data_dir / "landing" / "crm" / "lead").glob("lead_2026-11-20*.csv"))[0]
    # the extract holds a few malformed rows on purpose (quarantined at load): leave them out
    leads = pd.read_csv(original, dtype=str, keep_default_na=False, encoding="utf-8-sig", on_bad_lines="skip")
    leads["SystemModstamp"] = modstamp
    if blank_titles:
        leads["Title"] = ""
    leads.to_csv(original.with_name(name), index=False)


def _mart_fingerprint(data_dir: Path) -> tuple:
    return (
        query(
            data_dir,
            "select count(*), sum(hash(person_id, model_id, fit_score, interest_score, route)) "
            "from marts.fct_person_scores",
        )[0],
        query(data_dir, "select count(title), sum(hash(person_id, title)) from marts.dim_persons")[0],
    )


def test_a_delivery_below_a_completeness_gate_is_stopped_and_the_marts_keep_their_values(
    data_dir: Path,
) -> None:
    # the sender withdrew the unreadable file of the previous test
    (data_dir / "landing" / "crm" / "lead" / "lead_2026-11-21.csv").unlink(missing_ok=True)
    before = _mart_fingerprint(data_dir)
    _redeliver_leads(
        data_dir, "lead_2026-11-22_titles_lost.csv", "2026-11-22T09:00:00.000Z", blank_titles=True
    )

    blocked = mqa(data_dir, "run")
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "staging/stg_crm__leads:gx_suite failed" in output
    assert "staging.stg_crm__leads.title completeness: observed 0.00% vs threshold 85.00%" in output
    assert _mart_fingerprint(data_dir) == before  # nothing downstream was rebuilt from the bad leads
    (title_gate,) = query(
        data_dir,
        "select passed, threshold, observed_value from meta.dq_results "
        "where suite = 'stg_crm__leads' and column_name = 'title' and expectation like '%completeness%' "
        "order by checked_at desc limit 1",
    )
    assert title_gate == (False, 0.85, 0.0)

    _redeliver_leads(data_dir, "lead_2026-11-23_fixed.csv", "2026-11-23T09:00:00.000Z", blank_titles=False)
    fixed = mqa(data_dir, "run")
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    (latest_failures,) = query(
        data_dir,
        "select count(*) filter (where not passed and blocking) from meta.dq_results "
        "where run_id = (select run_id from meta.dq_results order by checked_at desc limit 1)",
    )
    assert latest_failures == (0,)
    # the marts were rebuilt from the corrected leads: titles are back (the re-delivery leaves out
    # the original extract's malformed rows, so counts may differ by those)
    titles_now = query(data_dir, "select count(title) from marts.dim_persons")[0][0]
    assert titles_now >= 0.99 * before[1][0]
