"""Measuring helpers for the benchmark: process-tree memory and CPU, dbt timings, a lower bound.

dbt runs as a child process of the Dagster step, so memory and CPU are measured over this process
and all its descendants, not this process alone.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

import duckdb
import psutil

SAMPLE_INTERVAL_S = 0.2
SCRATCH_SCHEMA = "bench_tmp"


class ProcessTreeSampler:
    """Peak resident memory of this process and its descendants, sampled every 0.2 s on a thread.

    CPU time is user + system of the tree: this process, the children it waited for (``os.times``
    counts those once they exit) and the children still alive at the end. A child that lives and
    dies between two samples is missed by the memory peak but not by the CPU time.

        with ProcessTreeSampler() as sampler:
            work()
        sampler.peak_rss_bytes, sampler.cpu_seconds, sampler.wall_seconds
    """

    def __init__(self, interval_s: float = SAMPLE_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.peak_rss_bytes = 0
        self.cpu_seconds = 0.0
        self.wall_seconds = 0.0
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, name="rss-sampler", daemon=True)
        self._started_times: os.times_result | None = None
        self._started_wall = 0.0

    def tree_rss_bytes(self) -> int:
        """Resident memory of this process plus every live descendant, now."""
        total = 0
        for process in [self._process, *self._process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue  # exited between listing and reading
        return total

    def _sample_until_stopped(self) -> None:
        while True:
            self.peak_rss_bytes = max(self.peak_rss_bytes, self.tree_rss_bytes())
            if self._stop.wait(self.interval_s):
                return

    def _live_children_cpu(self) -> float:
        total = 0.0
        for child in self._process.children(recursive=True):
            try:
                times = child.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            total += times.user + times.system
        return total

    def start(self) -> ProcessTreeSampler:
        self._started_times = os.times()
        self._started_wall = time.perf_counter()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_rss_bytes = max(self.peak_rss_bytes, self.tree_rss_bytes())
        self.wall_seconds = time.perf_counter() - self._started_wall
        assert self._started_times is not None, "start() first"
        end, begin = os.times(), self._started_times
        own = (end.user - begin.user) + (end.system - begin.system)
        waited = (end.children_user - begin.children_user) + (end.children_system - begin.children_system)
        self.cpu_seconds = own + waited + self._live_children_cpu()

    def __enter__(self) -> ProcessTreeSampler:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def read_dbt_timings(run_results_paths: Iterable[Path]) -> list[dict]:
    """One row per node of each run_results.json: unique_id, resource type, name, seconds, status.

    The name is the third part of the unique id (``model.<package>.<name>``), what ``dbt ls`` shows.
    """
    timings = []
    for path in run_results_paths:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        for result in document.get("results", []):
            unique_id = result["unique_id"]
            parts = unique_id.split(".")
            timings.append(
                {
                    "unique_id": unique_id,
                    "resource_type": parts[0],
                    "name": parts[2] if len(parts) > 2 else parts[-1],
                    "execution_time": float(result.get("execution_time") or 0.0),
                    "status": result.get("status"),
                    "run_results": str(path),
                }
            )
    return timings


def slowest(timings: Sequence[dict], n: int = 3, resource_type: str | None = "model") -> list[dict]:
    """The ``n`` longest-running nodes (models by default; ``resource_type=None`` for any node)."""
    chosen = [t for t in timings if resource_type is None or t["resource_type"] == resource_type]
    return sorted(chosen, key=lambda t: t["execution_time"], reverse=True)[:n]


def lower_bound_seconds(con_path: Path, raw_tables: Sequence[str]) -> float:
    """Seconds DuckDB needs to read every raw table once and write a table of the same size.

    No build can do less than that with its inputs, so the full build over this figure says how much
    the transformations cost beyond moving the data once. The copies go to a scratch schema that is
    dropped afterwards; the warehouse must not be open in another process.
    """
    with duckdb.connect(str(con_path)) as con:
        con.execute(f"drop schema if exists {SCRATCH_SCHEMA} cascade")
        con.execute(f"create schema {SCRATCH_SCHEMA}")
        try:
            started = time.perf_counter()
            for table in raw_tables:
                copy = table.replace(".", "__")
                con.execute(f"create table {SCRATCH_SCHEMA}.{copy} as select * from {table}")
            con.execute("checkpoint")
            elapsed = time.perf_counter() - started
        finally:
            con.execute(f"drop schema if exists {SCRATCH_SCHEMA} cascade")
            con.execute("checkpoint")
    return elapsed
