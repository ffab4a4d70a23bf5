"""Run the warehouse job through Dagster, in this process, against a persistent instance.

Runs are recorded in the Dagster instance under the data directory, so `mqa ui` shows the
history of runs started by `mqa run` as well as scheduled ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg

from orchestration.runtime import configure_runtime_environment
from orchestration.settings import DataPaths

# The full event log is kept in the Dagster instance (see `mqa ui`); the terminal gets warnings only.
QUIET_CONSOLE_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class RunOutcome:
    success: bool
    run_id: str
    failures: tuple[str, ...]


def failure_messages(events: list[dg.DagsterEvent]) -> tuple[str, ...]:
    """One readable line per failed step: the step key and the error it raised."""
    messages = []
    for event in events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            # Dagster wraps user errors; the cause holds the message written by our code.
            cause = error.cause or error
            messages.append(f"{event.step_key}: {cause.message.strip()}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
                check = evaluation.asset_check_key
                detail = evaluation.metadata.get("failed")
                text = detail.value if detail is not None else "failed"
                messages.append(
                    f"check {check.asset_key.to_user_string()}:{check.name} failed (downstream not built): "
                    f"{text}"
                )
    return tuple(messages)


def run_warehouse(paths: DataPaths) -> RunOutcome:
    """Materialise every asset (ingestion, then dbt build) once."""
    configure_runtime_environment(paths)
    # Imported here: loading the definitions reads the environment configured above, and the
    # dbt assets read the manifest, which must reflect the project as it is now.
    from orchestration.defs.dbt.project import ensure_fresh_manifest, ensure_parse_state

    ensure_fresh_manifest()
    ensure_parse_state(paths.dbt_target)
    from orchestration.definitions import defs
    from orchestration.defs.automation.jobs import WAREHOUSE_JOB_NAME

    job = defs().resolve_job_def(WAREHOUSE_JOB_NAME)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET_CONSOLE_RUN_CONFIG
        )
        failures = failure_messages(result.all_events)
        # A failed blocking check skips everything downstream without failing a step: still a failure.
        return RunOutcome(success=result.success and not failures, run_id=result.run_id, failures=failures)
