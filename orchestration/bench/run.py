"""The benchmark: generate a preset, build the warehouse, add one day, run again, and compare.

Figures: wall time, CPU time and peak memory of the process tree for the full build and for the
daily run after one more day of extracts; time per Dagster step (ingestion per object, the dbt
steps, the quality checks); dbt's time per model; rows per table; and a lower bound, the time to
read every raw table once and write as much, so that "the full build takes N s" comes with "and
moving the data alone takes M s".
"""

from __future__ import annotations

import gc
import importlib.metadata
import json
import os
import platform
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import psutil

from orchestration.bench.measure import ProcessTreeSampler, lower_bound_seconds, read_dbt_timings, slowest
from orchestration.contract import load_contract
from orchestration.defs.asset_keys import RAW_PREFIX
from orchestration.settings import DataPaths

MARKER = ".mqa-bench"  # written into a benchmark directory: only such a directory is wiped
SCHEMAS = ("raw", "staging", "intermediate", "marts")
VERSIONED = ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt", "great-expectations")
GIB = 1024**3
Log = Callable[[str], None]


def machine() -> dict:
    """Cores (all, and usable by this process), memory and platform."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "memory_gib": round(psutil.virtual_memory().total / GIB, 1),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def versions() -> dict:
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def _fresh_directory(work_dir: Path) -> DataPaths:
    """The data directory with a previous benchmark's world removed (other files, such as reports,
    stay); refuses a non-empty directory that no benchmark made, which may be someone's real data."""
    work_dir = work_dir.expanduser().resolve()
    if work_dir.exists() and any(work_dir.iterdir()) and not (work_dir / MARKER).exists():
        raise ValueError(f"{work_dir} is not empty and was not made by a benchmark: pass an empty or new one")
    paths = DataPaths(work_dir)
    for folder in (paths.landing, paths.truth, paths.logs, paths.dagster_home):
        shutil.rmtree(folder, ignore_errors=True)
    for file in (paths.warehouse, paths.warehouse.with_name(paths.warehouse.name + ".wal")):
        file.unlink(missing_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / MARKER).write_text("made by the mqa benchmark; its world is replaced by the next one\n")
    return paths


def step_kind(step_key: str, planned: set[str]) -> str:
    """ingestion, dbt, checks or other. Ingestion steps are named raw__<system>__<object>; a checks
    step plans asset-check evaluations and no materialisation (or says "check" in its key)."""
    if step_key.startswith(f"{RAW_PREFIX}__"):
        return "ingestion"
    if "check" in step_key or planned == {"check"}:
        return "checks"
    if "dbt" in step_key:
        return "dbt"
    return "other"


_PLANNED = {
    dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED: "materialization",
    dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED: "check",
}


def step_timings(run_id: str) -> list[dict]:
    """Start, end, seconds and outcome of every step of a run, from the Dagster instance's event log."""
    started: dict[str, float] = {}
    planned: dict[str, set[str]] = {}
    steps: list[dict] = []
    with dg.DagsterInstance.get() as instance:
        for entry in instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type in _PLANNED:
                planned.setdefault(event.step_key, set()).add(_PLANNED[event.event_type])
            elif event.event_type == dg.DagsterEventType.STEP_START:
                started[event.step_key] = entry.timestamp
            elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                begin = started.get(event.step_key, entry.timestamp)
                steps.append(
                    {
                        "step": event.step_key,
                        "kind": step_kind(event.step_key, planned.get(event.step_key, set())),
                        "seconds": round(entry.timestamp - begin, 3),
                        "status": "success" if event.is_step_success else "failure",
                    }
                )
    return steps


def run_results_of(run_id: str, target_dir: Path) -> list[Path]:
    """The run_results.json of every dbt invocation of a run: dagster-dbt names each target folder
    ``<op>-<first 7 characters of the run id>-<random>``."""
    return sorted(target_dir.glob(f"*-{run_id[:7]}-*/run_results.json"))


def rows_per_table(warehouse: Path) -> dict[str, int]:
    """count(*) of every table and view of the raw, staging, intermediate and marts schemas."""
    counts = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in SCHEMAS)}) order by 1, 2",
            list(SCHEMAS),
        ).fetchall()
        for schema, name in relations:
            counts[f"{schema}.{name}"] = con.execute(f'select count(*) from {schema}."{name}"').fetchall()[0][
                0
            ]
    return counts


def measured_run(paths: DataPaths, log: Log) -> dict:
    """Run the whole pipeline once and measure it: time, CPU, memory, steps, dbt models."""
    from orchestration.pipeline import run_warehouse

    with ProcessTreeSampler() as sampler:
        outcome = run_warehouse(paths)
    # A step that failed can leave its DuckDB connection open until the garbage collector frees it,
    # and DuckDB refuses another connection to the file with a different configuration meanwhile.
    gc.collect()
    steps = step_timings(outcome.run_id)
    timings = read_dbt_timings(run_results_of(outcome.run_id, paths.dbt_target))
    stages = {
        kind: round(sum(s["seconds"] for s in steps if s["kind"] == kind), 3)
        for kind in ("ingestion", "dbt", "checks", "other")
    }
    # Steps run one after another in one process; the rest is loading definitions, the dbt manifest
    # check and Dagster's own bookkeeping.
    stages["outside_steps"] = round(sampler.wall_seconds - sum(s["seconds"] for s in steps), 3)
    verdict = "succeeded" if outcome.success else "FAILED"
    log(
        f"  run {outcome.run_id[:8]} {verdict} in {sampler.wall_seconds:.1f}s "
        f"(cpu {sampler.cpu_seconds:.1f}s, peak {sampler.peak_rss_bytes / GIB:.2f} GiB)"
    )
    for failure in outcome.failures:
        log(f"    {failure}")
    return {
        "success": outcome.success,
        "run_id": outcome.run_id,
        "failures": list(outcome.failures),
        "wall_s": round(sampler.wall_seconds, 2),
        "cpu_s": round(sampler.cpu_seconds, 2),
        "peak_rss_bytes": sampler.peak_rss_bytes,
        "stages": {
            **stages,
            "dbt_tests": round(
                sum(t["execution_time"] for t in timings if t["resource_type"] in ("test", "unit_test")), 3
            ),
        },
        "steps": steps,
        "slowest_models": [
            {"name": t["name"], "unique_id": t["unique_id"], "seconds": round(t["execution_time"], 3)}
            for t in slowest(timings, 3)
        ],
        "dbt_nodes": len(timings),
    }


def _generate_in_child_process(preset: str, paths: DataPaths, seed: int) -> Any:
    """Generate the preset in a child process: the generator's peak (4 GB on large) and the heap it
    leaves behind must not count in the pipeline's memory, which this process goes on to measure."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from orchestration.generator import generate

    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(
            generate, preset=preset, landing_dir=paths.landing, truth_dir=paths.truth, seed=seed
        ).result()


def run_benchmark(
    preset: str, work_dir: Path, *, seed: int = 42, log: Log = print, command: str | None = None
) -> dict:
    """Generate ``preset`` into ``work_dir`` (wiped if a previous benchmark made it), build it, add
    the next day, run again, measure the lower bound; return every figure as a JSON-ready dict."""
    from orchestration.generator.next_day import last_activity_date, write_next_day

    paths = _fresh_directory(Path(work_dir))
    log(f"generating preset {preset!r} (seed {seed}) into {paths.root}")
    summary = _generate_in_child_process(preset, paths, seed)
    log(f"  {sum(summary.rows.values()):,} rows in {summary.seconds:.1f}s")

    log("full build")
    full = measured_run(paths, log)
    rows = rows_per_table(paths.warehouse)

    day = last_activity_date(paths.landing) + timedelta(days=1)
    delta = write_next_day(paths.landing, day)
    log(f"next day {day}: {delta}")
    log("daily run")
    daily = measured_run(paths, log)
    daily["day"] = day.isoformat()
    daily["rows_delivered"] = delta

    log("lower bound: read every raw table once and write as much")
    raw_tables = [obj.raw_table for obj in load_contract() if obj.raw_table in rows]
    try:
        lower: float | None = lower_bound_seconds(paths.warehouse, raw_tables)
        log(f"  {lower:.2f}s")
    except duckdb.Error as error:
        lower = None
        log(f"  not measured: {error}")
    return {
        "preset": preset,
        "seed": seed,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "command": command or f"mqa --data-dir {paths.root} bench --preset {preset} --seed {seed}",
        "generated_rows": summary.rows,
        "full_build": full,
        "daily_run": daily,
        "daily_share_of_full": round(daily["wall_s"] / full["wall_s"], 3) if full["wall_s"] else None,
        "lower_bound_s": round(lower, 3) if lower is not None else None,
        "full_build_over_lower_bound": round(full["wall_s"] / lower, 1) if lower else None,
        "rows_per_table": rows,
    }


# ---------- reports

_SECTION = re.compile(r"^## (?P<preset>\S+)[^\n]*\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TITLE = (
    "# Benchmarks\n\n"
    "Measured by the benchmark command (orchestration/bench): one section per preset, replaced when "
    "that preset is measured again.\n\n"
)


def _first_line(message: str) -> str:
    lines = _ANSI.sub("", message).strip().splitlines()
    return lines[0] if lines else message


def _gib(value: int) -> str:
    return f"{value / GIB:.2f} GiB"


def _rows_by_schema(rows: dict[str, int]) -> str:
    totals: dict[str, int] = {}
    for name, count in rows.items():
        schema = name.split(".", 1)[0]
        totals[schema] = totals.get(schema, 0) + count
    return ", ".join(f"{schema} {count:,}" for schema, count in totals.items())


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def preset_section(result: dict) -> str:
    """The Markdown section of one preset's result."""
    full, daily = result["full_build"], result["daily_run"]
    share, lower = result["daily_share_of_full"], result["lower_bound_s"]
    ratio = result["full_build_over_lower_bound"]
    status = "" if full["success"] and daily["success"] else " (a run failed: see failures below)"
    lines = [f"## {result['preset']}", "", f"Measured {result['measured_at']}{status}.", ""]
    lines += _table(
        ("figure", "full build", "daily run"),
        [
            ("wall time", f"{full['wall_s']:.1f} s", f"{daily['wall_s']:.1f} s"),
            ("CPU time (process tree)", f"{full['cpu_s']:.1f} s", f"{daily['cpu_s']:.1f} s"),
            ("peak memory (process tree)", _gib(full["peak_rss_bytes"]), _gib(daily["peak_rss_bytes"])),
            ("ingestion", f"{full['stages']['ingestion']:.1f} s", f"{daily['stages']['ingestion']:.1f} s"),
            ("dbt steps", f"{full['stages']['dbt']:.1f} s", f"{daily['stages']['dbt']:.1f} s"),
            (
                "dbt data tests (sum of node times)",
                f"{full['stages']['dbt_tests']:.1f} s",
                f"{daily['stages']['dbt_tests']:.1f} s",
            ),
            (
                "quality check steps",
                f"{full['stages']['checks']:.1f} s",
                f"{daily['stages']['checks']:.1f} s",
            ),
            (
                "outside steps (startup, manifest, Dagster)",
                f"{full['stages']['outside_steps']:.1f} s",
                f"{daily['stages']['outside_steps']:.1f} s",
            ),
            ("succeeded", "yes" if full["success"] else "no", "yes" if daily["success"] else "no"),
        ],
    )
    lines += [
        "",
        f"- Daily run (one more day, {daily.get('day', '?')}) / full build: "
        + (f"{share:.0%}" if share is not None else "n/a"),
        "- Lower bound (DuckDB reads every raw table once and writes as much): "
        + (f"{lower:.2f} s; full build / lower bound: {ratio:.0f}x" if lower and ratio else "not measured"),
        f"- Rows: {_rows_by_schema(result['rows_per_table'])}",
        f"- Machine: {result['machine']['cores']} cores ({result['machine']['cores_usable']} usable), "
        f"{result['machine']['memory_gib']} GiB, {result['machine']['platform']}",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in result["versions"].items()),
        f"- Command: `{result['command']}`",
        "",
        "Slowest models (full build):",
        "",
    ]
    lines += _table(
        ("model", "seconds"), [(m["name"], f"{m['seconds']:.2f}") for m in full["slowest_models"]]
    )
    daily_steps = {s["step"]: s["seconds"] for s in daily["steps"]}
    lines += ["", "Steps (Dagster, seconds):", ""]
    lines += _table(
        ("step", "kind", "full build", "daily run"),
        [
            (s["step"], s["kind"], f"{s['seconds']:.2f}", f"{daily_steps.get(s['step'], 0):.2f}")
            for s in full["steps"]
        ],
    )
    failures = [("full build", f) for f in full["failures"]] + [("daily run", f) for f in daily["failures"]]
    if failures:
        lines += ["", "Failures (first line; the JSON report has the whole message):", ""]
        lines += [f"- {run}: {_first_line(failure)}" for run, failure in failures]
    return "\n".join(lines) + "\n\n"


def write_reports(result: dict, markdown_path: Path, json_path: Path) -> None:
    """JSON as is; in the Markdown, this preset's section replaced (or added), other presets' kept."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    existing = markdown_path.read_text(encoding="utf-8") if markdown_path.exists() else _TITLE
    sections = {match["preset"]: match.group(0) for match in _SECTION.finditer(existing)}
    head = existing[: min((m.start() for m in _SECTION.finditer(existing)), default=len(existing))]
    sections[result["preset"]] = preset_section(result)
    order = [p for p in ("small", "medium", "large") if p in sections] + sorted(
        p for p in sections if p not in ("small", "medium", "large")
    )
    body = "".join(sections[p].rstrip("\n") + "\n\n" for p in order)
    markdown_path.parent.mkdir(parents=True, exist_ok=True)
    markdown_path.write_text(head.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n", encoding="utf-8")
