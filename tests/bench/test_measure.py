"""The benchmark's measuring helpers and reports: process-tree memory, dbt timings, report sections."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from orchestration.bench.measure import ProcessTreeSampler, lower_bound_seconds, read_dbt_timings, slowest
from orchestration.bench.run import preset_section, write_reports

MB = 1024 * 1024

ALLOCATE_AND_SLEEP = """
import sys, time
block = b"x" * (200 * 1024 * 1024)  # written, so resident (a zeroed bytearray may not be)
print("ready", flush=True)
time.sleep(float(sys.argv[1]))
"""


def test_sampler_sees_a_childs_memory() -> None:
    with ProcessTreeSampler() as sampler:
        child = subprocess.Popen(
            [sys.executable, "-c", ALLOCATE_AND_SLEEP, "1.5"], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.6)  # a few samples while the child holds its 200 MB
        child.wait(timeout=30)
    own = ProcessTreeSampler().tree_rss_bytes()
    assert sampler.peak_rss_bytes >= own + 150 * MB
    assert sampler.wall_seconds >= 0.6
    assert sampler.cpu_seconds > 0  # the child's allocation is counted once it was waited for


def _run_results(path: Path, results: list[tuple[str, float, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "metadata": {"dbt_version": "1.11.0"},
        "results": [
            {"unique_id": uid, "status": status, "execution_time": seconds, "timing": []}
            for uid, seconds, status in results
        ],
        "elapsed_time": 9.9,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_read_dbt_timings_and_slowest(tmp_path: Path) -> None:
    first = _run_results(
        tmp_path / "staging-abc1234-x" / "run_results.json",
        [
            ("model.mqa.stg_crm__leads", 0.5, "success"),
            ("test.mqa.not_null_stg_crm__leads_lead_id.5a1b", 9.0, "pass"),
        ],
    )
    second = _run_results(
        tmp_path / "models-abc1234-y" / "run_results.json",
        [
            ("model.mqa.int_person_records_clustered", 4.25, "success"),
            ("model.mqa.fct_person_scores", 2.0, "success"),
            ("model.mqa.dim_persons", 3.0, "error"),
            ("seed.mqa.scoring_rules", 7.0, "success"),
        ],
    )
    timings = read_dbt_timings([first, second])

    assert len(timings) == 6
    leads = timings[0]
    assert leads["unique_id"] == "model.mqa.stg_crm__leads"
    assert leads["name"] == "stg_crm__leads"
    assert leads["resource_type"] == "model"
    assert leads["execution_time"] == 0.5
    assert leads["status"] == "success"
    # Models only: the slow test and seed do not count; an errored model does.
    assert [t["name"] for t in slowest(timings)] == [
        "int_person_records_clustered",
        "dim_persons",
        "fct_person_scores",
    ]
    assert [t["name"] for t in slowest(timings, n=1, resource_type=None)] == [
        "not_null_stg_crm__leads_lead_id"
    ]


def _result(preset: str, wall: float) -> dict:
    run = {
        "success": True,
        "run_id": "r",
        "failures": [],
        "wall_s": wall,
        "cpu_s": wall * 1.5,
        "peak_rss_bytes": 3 * 1024**3,
        "stages": {
            "ingestion": 1.0,
            "dbt": wall - 1,
            "checks": 0.0,
            "other": 0.0,
            "dbt_tests": 2.0,
            "outside_steps": 3.0,
        },
        "steps": [{"step": "raw__crm__lead", "kind": "ingestion", "seconds": 1.0, "status": "success"}],
        "slowest_models": [
            {"name": "int_person_records_clustered", "unique_id": "model.mqa.x", "seconds": 12.34},
            {"name": "fct_person_scores", "unique_id": "model.mqa.y", "seconds": 5.0},
            {"name": "dim_persons", "unique_id": "model.mqa.z", "seconds": 1.0},
        ],
    }
    return {
        "preset": preset,
        "measured_at": "2026-01-01T00:00:00+00:00",
        "machine": {"cores": 2, "cores_usable": 2, "memory_gib": 8.0, "platform": "Linux"},
        "versions": {"python": "3.11.9", "duckdb": "2.0.0"},
        "command": f"mqa bench --preset {preset}",
        "full_build": run,
        "daily_run": {**run, "wall_s": wall / 4, "day": "2026-11-20"},
        "daily_share_of_full": 0.25,
        "lower_bound_s": 0.5,
        "full_build_over_lower_bound": wall / 0.5,
        "rows_per_table": {"raw.crm__lead": 10, "marts.dim_persons": 7},
    }


def test_section_has_the_headline_figures() -> None:
    section = preset_section(_result("small", 80.0))
    assert section.startswith("## small\n")
    for expected in (
        "80.0 s",  # full build wall time
        "20.0 s",  # daily run
        "25%",
        "0.50 s",  # lower bound
        "160x",
        "3.00 GiB",
        "int_person_records_clustered | 12.34",
        "raw__crm__lead",
        "`mqa bench --preset small`",
        "duckdb 2.0.0",
        "2 cores",
    ):
        assert expected in section, expected


def test_write_reports_replaces_one_preset_and_keeps_another(tmp_path: Path) -> None:
    markdown, report = tmp_path / "BENCHMARKS.md", tmp_path / "bench.json"
    write_reports(_result("medium", 600.0), markdown, report)
    write_reports(_result("small", 80.0), markdown, report)
    write_reports(_result("small", 90.0), markdown, report)

    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    assert text.count("## small") == 1 and text.count("## medium") == 1
    assert text.index("## small") < text.index("## medium")
    assert "90.0 s" in text and "80.0 s" not in text  # small replaced
    assert "600.0 s" in text  # medium kept
    assert json.loads(report.read_text(encoding="utf-8"))["full_build"]["wall_s"] == 90.0


def test_lower_bound_copies_and_leaves_no_trace(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.a as select range as id, 'x' || range as v from range(100000)")
    seconds = lower_bound_seconds(warehouse, ["raw.a"])
    assert seconds > 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        schemas = {
            row[0] for row in con.execute("select schema_name from information_schema.schemata").fetchall()
        }
    assert "bench_tmp" not in schemas
