"""`mqa`: generate sample extracts, run the warehouse through Dagster, open the UI.

Every command works on one data directory (landing, truth, warehouse.duckdb, logs, Dagster
state): `--data-dir`, else `MQA_DATA_DIR`, else ./data.
"""

from __future__ import annotations

import os
import sys
import time

import click
import duckdb

from orchestration.settings import DATA_DIR_ENV, DataPaths, resolve_data_dir


@click.group()
@click.option(
    "--data-dir",
    envvar=DATA_DIR_ENV,
    default=None,
    help=f"Runtime data directory (default ./data; env {DATA_DIR_ENV}).",
)
@click.pass_context
def main(ctx: click.Context, data_dir: str | None) -> None:
    """The B2B lead and account scoring warehouse."""
    ctx.obj = resolve_data_dir(data_dir)


@main.command()
@click.option("--preset", type=click.Choice(["small", "medium", "large"]), default="small", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same files.")
@click.pass_obj
def generate(paths: DataPaths, preset: str, seed: int) -> None:
    """Write a synthetic B2B world's extracts to <data>/landing and its ground truth to <data>/truth."""
    _generate(paths, preset, seed)


def _generate(paths: DataPaths, preset: str, seed: int) -> None:
    from orchestration.generator import generate as generate_world

    started = time.perf_counter()
    summary = generate_world(preset=preset, landing_dir=paths.landing, truth_dir=paths.truth, seed=seed)
    click.echo(f"generated preset {preset!r} (seed {seed}) in {time.perf_counter() - started:.1f}s")
    click.echo(f"  landing: {paths.landing}\n  truth:   {paths.truth}")
    click.echo(str(summary))


@main.command()
@click.pass_obj
def run(paths: DataPaths) -> None:
    """Run the whole pipeline through Dagster: ingest new extracts, dbt build the staging tables,
    validate them (data-quality gates), then build everything downstream. Exits 1 when a step or a
    blocking gate fails; the marts then keep their last good state."""
    _run(paths)


def _run(paths: DataPaths) -> None:
    from orchestration.pipeline import run_warehouse

    started = time.perf_counter()
    outcome = run_warehouse(paths)
    elapsed = time.perf_counter() - started
    _print_quality_summary(paths, outcome.run_id)
    if not outcome.success:
        click.echo(f"run {outcome.run_id} FAILED after {elapsed:.1f}s", err=True)
        for failure in outcome.failures:
            click.echo(f"  {failure}", err=True)
        sys.exit(1)
    click.echo(f"run {outcome.run_id} succeeded in {elapsed:.1f}s (warehouse: {paths.warehouse})")


def _pipeline_connection(paths: DataPaths):
    """A connection configured as the pipeline's (DuckDB refuses a second configuration of one file
    in a process, and the pipeline ran in this one)."""
    from dagster_duckdb import DuckDBResource

    return DuckDBResource(database=str(paths.warehouse)).get_connection()


def _print_quality_summary(paths: DataPaths, run_id: str) -> None:
    """The data-quality gates of this run, from meta.dq_results (nothing when no check ran)."""
    from orchestration.quality.validate import dq_summary

    if not paths.warehouse.exists():
        return
    with _pipeline_connection(paths) as con:
        has_results = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'meta' and table_name = 'dq_results'"
        ).fetchall()[0][0]
        if has_results:
            click.echo(dq_summary(con, run_id))


@main.command()
@click.option("--seed", type=int, default=42, show_default=True)
@click.pass_obj
def demo(paths: DataPaths, seed: int) -> None:
    """Generate the small preset, run the pipeline, re-score the last three weeks, print a summary
    and the held-out validation of the scoring models."""
    _generate(paths, "small", seed)
    _run(paths)
    _rescore_recent_weeks(paths, weeks=3)
    _print_summary(paths)
    _print_scoring_validation(paths)


def _print_scoring_validation(paths: DataPaths) -> None:
    from orchestration.evaluation.scoring import evaluate_scoring, format_scoring_validation

    with _pipeline_connection(paths) as con:
        click.echo("")
        click.echo(format_scoring_validation(evaluate_scoring(con)))
        click.echo("(small sample: see `mqa evaluate scoring --preset medium` for the measured targets)")


def _rescore_recent_weeks(paths: DataPaths, weeks: int) -> None:
    """Give the demo a score history: the same weekday of each of the last weeks, point in time."""
    from datetime import timedelta

    from orchestration.rescore import rescore as rescore_history

    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        latest = con.execute("select max(as_of_date) from marts.fct_person_scores").fetchall()[0][0]
    dates = [latest - timedelta(days=7 * week) for week in range(weeks, 0, -1)]
    for line in rescore_history(paths, dates):
        click.echo(line)


@main.command()
@click.pass_obj
def summary(paths: DataPaths) -> None:
    """Print row counts of the raw tables, the ingestion ledger and the staging models."""
    _print_summary(paths)


def _print_summary(paths: DataPaths) -> None:
    from orchestration.summary import format_summary, warehouse_summary

    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        click.echo(format_summary(warehouse_summary(con)))


@main.command()
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First date to score."
)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last date to score.")
@click.option("--every", type=int, default=7, show_default=True, help="Days between scored dates.")
@click.pass_obj
def rescore(paths: DataPaths, start, end, every: int) -> None:
    """Score past dates point in time into the score history, then the latest day again."""
    from orchestration.rescore import rescore as rescore_history
    from orchestration.rescore import rescore_dates

    try:
        dates = rescore_dates(start.date(), end.date(), every)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    for line in rescore_history(paths, dates):
        click.echo(line)


@main.command()
def prepare() -> None:
    """Parse the dbt project into target/manifest.json (run once at install time)."""
    from orchestration.defs.dbt.project import prepare_manifest

    project = prepare_manifest()
    click.echo(f"dbt manifest ready: {project.manifest_path}")


@main.group()
def evaluate() -> None:
    """Measure the warehouse against the generator's ground truth (<data>/truth)."""


@evaluate.command("identity")
@click.option(
    "--preset",
    type=click.Choice(["small", "medium", "large"]),
    default=None,
    help="First generate this preset into the data dir and run the pipeline; else evaluate what is there.",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed for --preset.")
@click.option("--replace", is_flag=True, help="With --preset: delete another world already in the data dir.")
@click.option("--no-time", "no_time", is_flag=True, help="Skip timing `dbt run --select tag:identity`.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON instead of a table.")
@click.option("--strict", is_flag=True, help="Exit 1 when a target is missed.")
@click.pass_obj
def evaluate_identity(
    paths: DataPaths, preset: str | None, seed: int, replace: bool, no_time: bool, as_json: bool, strict: bool
) -> None:
    """Person clustering precision/recall, account assignment, wrong merges, free-mail account
    domains and the identity rebuild time, with the targets and whether each is met."""
    from orchestration.evaluation.identity import MissingRelationError
    from orchestration.evaluation.report import all_targets_met, format_identity_report, identity_report_json
    from orchestration.evaluation.runner import EvaluationError, run_identity_evaluation
    from orchestration.evaluation.truth import TruthError

    try:
        evaluation = run_identity_evaluation(
            paths,
            preset=preset,
            seed=seed,
            replace=replace,
            measure_time=not no_time,
            log=lambda message: click.echo(message, err=True),
        )
    except (EvaluationError, MissingRelationError, TruthError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(identity_report_json(evaluation) if as_json else format_identity_report(evaluation))
    if evaluation.timing is not None and not evaluation.timing.success:
        sys.exit(1)
    if strict and not all_targets_met(evaluation):
        sys.exit(1)


@evaluate.command("accounts")
@click.option(
    "--rescore-weeks",
    type=int,
    default=0,
    show_default=True,
    help="First score this many past weeks (weekly, point in time) to build the history measured.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of a table.")
@click.pass_obj
def evaluate_accounts(paths: DataPaths, rescore_weeks: int, as_json: bool) -> None:
    """Share of opportunities preceded by an MQA within the model's horizon, against chance, and the
    lead time, from the account score history."""
    import json

    from orchestration.evaluation.accounts import evaluate_mqa_timing, format_mqa_timing

    if not paths.warehouse.exists():
        raise click.ClickException(f"no warehouse at {paths.warehouse}: run `mqa run` (or `mqa demo`) first")
    if rescore_weeks > 0:
        _rescore_recent_weeks(paths, weeks=rescore_weeks)
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        try:
            results = evaluate_mqa_timing(con)
        except duckdb.CatalogException as error:
            raise click.ClickException(
                f"the account marts are missing ({error}): run `mqa run` first"
            ) from error
    if as_json:
        click.echo(json.dumps([result.as_dict() for result in results], indent=2))
    else:
        click.echo(format_mqa_timing(results))


@evaluate.command("scoring")
@click.option(
    "--preset",
    type=click.Choice(["small", "medium", "large"]),
    default=None,
    help="First generate this preset into the data dir and run the pipeline; else evaluate what is there.",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed for --preset.")
@click.option("--replace", is_flag=True, help="With --preset: delete another world already in the data dir.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of tables.")
@click.option("--strict", is_flag=True, help="Exit 1 when a target is missed.")
@click.pass_obj
def evaluate_scoring(
    paths: DataPaths, preset: str | None, seed: int, replace: bool, as_json: bool, strict: bool
) -> None:
    """Backtest of every scoring model on its held-out cutoffs: AUC, precision at the top, lift and
    calibration of the rules, the learned weights, the blend and the scikit-learn challenger, with
    the targets (learned >= rules + 0.05 AUC, within 0.02 of the challenger) and the recommended
    thresholds."""
    import contextlib
    import json

    from orchestration.evaluation.runner import EvaluationError, prepare_preset
    from orchestration.evaluation.scoring import all_targets_met, format_scoring_validation
    from orchestration.evaluation.scoring import evaluate_scoring as read_validation

    if preset is not None:
        with contextlib.redirect_stdout(sys.stderr):
            try:
                prepare_preset(
                    paths, preset, seed, replace=replace, log=lambda message: click.echo(message, err=True)
                )
            except EvaluationError as error:
                raise click.ClickException(str(error)) from error
    if not paths.warehouse.exists():
        raise click.ClickException(
            f"no warehouse at {paths.warehouse}: run `mqa run` first, or pass --preset"
        )
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        try:
            results = read_validation(con)
        except duckdb.CatalogException as error:
            raise click.ClickException(
                f"the validation marts are missing ({error}): run `mqa run` first"
            ) from error
    if as_json:
        click.echo(json.dumps([result.as_dict() for result in results], indent=2))
    else:
        click.echo(format_scoring_validation(results))
    if strict and not all_targets_met(results):
        sys.exit(1)


@main.command()
@click.option("--preset", type=click.Choice(["small", "medium", "large"]), default="small", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--work-dir",
    default=None,
    help="Where the benchmark's world is generated (default: <data>/bench-<preset>); wiped first.",
)
@click.option(
    "--report",
    default=None,
    help="The Markdown report to update (default: BENCHMARKS.md at the repository root).",
)
@click.pass_obj
def bench(paths: DataPaths, preset: str, seed: int, work_dir: str | None, report: str | None) -> None:
    """Generate a preset, run the full pipeline, append one more day of extracts and run the daily
    pipeline; measure wall, CPU, peak memory of the process tree, rows per table and each stage;
    write BENCHMARKS.md (this preset's section) and benchmarks/<preset>.json."""
    import contextlib
    import shlex
    from pathlib import Path

    from orchestration.bench.run import run_benchmark, write_reports
    from orchestration.settings import PROJECT_ROOT

    target = Path(work_dir) if work_dir else paths.root / f"bench-{preset}"
    command = "mqa " + " ".join(shlex.quote(arg) for arg in sys.argv[1:])
    with contextlib.redirect_stdout(sys.stderr):
        result = run_benchmark(
            preset, target, seed=seed, log=lambda message: click.echo(message, err=True), command=command
        )
    markdown = Path(report) if report else PROJECT_ROOT / "BENCHMARKS.md"
    json_path = markdown.parent / "benchmarks" / f"{preset}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    write_reports(result, markdown, json_path)
    full, daily = result["full_build"], result["daily_run"]
    click.echo(
        f"{preset}: full build {full['wall_s']:.1f}s wall, daily run {daily['wall_s']:.1f}s "
        f"({result['daily_share_of_full']:.0%} of the full build); written to {markdown} and {json_path}"
    )


@main.command()
@click.option("--port", type=int, default=3000, show_default=True)
@click.pass_obj
def ui(paths: DataPaths, port: int) -> None:
    """Start the Dagster UI on 127.0.0.1: the whole graph, checks, schedule and sensor."""
    from orchestration.runtime import configure_runtime_environment

    configure_runtime_environment(paths)
    # Runs launched from the UI start their dbt steps from this warehouse's parse state.
    from orchestration.defs.dbt.project import ensure_fresh_manifest, ensure_parse_state

    ensure_fresh_manifest()
    ensure_parse_state(paths.dbt_target)
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    os.execv(dagster, [dagster, "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)])


if __name__ == "__main__":
    main()
