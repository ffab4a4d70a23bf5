"""What `mqa evaluate identity` does, step by step: optionally generate a preset and run the pipeline,
time the identity rebuild, then evaluate the marts read-only against the truth.

Progress goes to the ``log`` callable (the CLI sends it to stderr, so ``--json`` stays clean).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from orchestration.evaluation.identity import IdentityEvaluation, evaluate_identity
from orchestration.evaluation.timing import RebuildTiming, time_identity_rebuild
from orchestration.evaluation.truth import TruthError, read_manifest
from orchestration.settings import DataPaths

Log = Callable[[str], None]


class EvaluationError(RuntimeError):
    """The evaluation cannot run: a mixed data directory, a failed pipeline run."""


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


def preset_conflict(paths: DataPaths, preset: str, seed: int) -> str | None:
    """Why generating ``preset`` into this data directory would mix two worlds, else None.

    The same preset and seed rewrite byte-identical files, which the load ledger skips, so they are
    safe; anything else would leave the earlier world's records in the warehouse beside the new ones.
    """
    if not (paths.warehouse.exists() or _has_files(paths.landing)):
        return None
    try:
        manifest = read_manifest(paths.truth)
    except TruthError:
        existing = "extracts or a warehouse without ground truth"
    else:
        if (manifest.preset, manifest.seed) == (preset, seed):
            return None
        existing = f"preset {manifest.preset!r} (seed {manifest.seed})"
    return (
        f"{paths.root} already holds {existing}; generating preset {preset!r} (seed {seed}) into it "
        "would mix two worlds in one warehouse. Use an empty --data-dir, or pass --replace to delete "
        "its landing, truth and warehouse first."
    )


def clear_world(paths: DataPaths) -> None:
    """Delete the extracts, the truth and the warehouse file (logs and Dagster history stay)."""
    for folder in (paths.landing, paths.truth):
        if folder.exists():
            shutil.rmtree(folder)
    for file in (paths.warehouse, paths.warehouse.with_name(paths.warehouse.name + ".wal")):
        file.unlink(missing_ok=True)


def prepare_preset(paths: DataPaths, preset: str, seed: int, *, replace: bool, log: Log) -> None:
    """Generate ``preset`` into the data directory and run the whole pipeline on it."""
    from orchestration.generator import generate
    from orchestration.pipeline import run_warehouse

    conflict = preset_conflict(paths, preset, seed)
    if conflict and not replace:
        raise EvaluationError(conflict)
    if conflict:
        log(f"deleting the earlier world in {paths.root} (--replace)")
        clear_world(paths)
    started = time.perf_counter()
    generate(preset=preset, landing_dir=paths.landing, truth_dir=paths.truth, seed=seed)
    log(f"generated preset {preset!r} (seed {seed}) in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    outcome = run_warehouse(paths)
    if not outcome.success:
        raise EvaluationError(
            f"pipeline run {outcome.run_id} failed:\n" + "\n".join(f"  {f}" for f in outcome.failures)
        )
    log(f"pipeline run {outcome.run_id} succeeded in {time.perf_counter() - started:.1f}s")


def run_identity_evaluation(
    paths: DataPaths,
    *,
    preset: str | None = None,
    seed: int = 42,
    replace: bool = False,
    measure_time: bool = True,
    log: Log = lambda message: print(message, file=sys.stderr),
) -> IdentityEvaluation:
    """The whole command; the warehouse is opened read-only after any writer has finished."""
    if preset is not None:
        # The generator and the pipeline print progress; keep stdout for the report (and --json).
        with contextlib.redirect_stdout(sys.stderr):
            prepare_preset(paths, preset, seed, replace=replace, log=log)
    if not paths.warehouse.exists():
        raise EvaluationError(f"no warehouse at {paths.warehouse}: run `mqa run` first, or pass --preset")
    timing: RebuildTiming | None = None
    if measure_time:
        log("rebuilding the identity models: dbt run --select tag:identity")
        timing = time_identity_rebuild(paths)
        log(f"  {timing.seconds:.1f}s: {timing.message.splitlines()[0]}")
    started = time.perf_counter()
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        evaluation = evaluate_identity(con, paths.truth, timing=timing)
    log(f"evaluated in {time.perf_counter() - started:.1f}s")
    return evaluation
