"""One job runs the whole warehouse; a schedule runs it daily and a sensor when files land.

The job uses the in-process executor: every step writes the same DuckDB file, which allows
one writing process at a time, so steps run one after another in one process.
"""

import dagster as dg

from orchestration.defs.automation.landing import landing_fingerprint
from orchestration.settings import resolve_data_dir

WAREHOUSE_JOB_NAME = "warehouse_job"

warehouse_job = dg.define_asset_job(
    name=WAREHOUSE_JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest every new extract, then dbt build: staging, models, seeds and tests.",
)

daily_schedule = dg.ScheduleDefinition(
    name="warehouse_daily",
    job=warehouse_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Runs the whole warehouse every morning after the nightly extracts.",
)


@dg.sensor(
    name="landing_files_sensor",
    job=warehouse_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts the warehouse job when files land in, change in or leave the landing folder.",
)
def landing_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    fingerprint = landing_fingerprint(resolve_data_dir().landing)
    if fingerprint == context.cursor:
        return dg.SkipReason("no new files in the landing folder")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)
