"""Re-score past days: build the scoring models as of each date, filling the daily score history.

The daily run scores the latest day only and `fct_person_score_history` keeps what each run
scored. A new warehouse (or a changed rule) has no past: this command scores past dates point
in time (nothing after each date is read), then the latest day again so the current marts are
current. MQL events are recomputed from the whole history each time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

from orchestration.runtime import configure_runtime_environment
from orchestration.settings import DataPaths

# Person scores and the account scores built on them, both point in time.
SCORING_SELECTION = "tag:scoring tag:accounts"


def rescore_dates(start: date, end: date, every_days: int) -> list[date]:
    """Dates from start to end (both included when end falls on the step), every `every_days` days."""
    if every_days < 1:
        raise ValueError("every_days must be at least 1")
    if end < start:
        raise ValueError(f"the end date {end} is before the start date {start}")
    count = (end - start).days // every_days + 1
    return [start + timedelta(days=every_days * step) for step in range(count)]


def dbt_build_args(as_of: date | None) -> list[str]:
    """`dbt build` arguments for the scoring models as of a date (None: the latest loaded day)."""
    args = ["build", "--select", SCORING_SELECTION]
    if as_of is not None:
        args += ["--vars", json.dumps({"as_of": as_of.isoformat()})]
    return args


def rescore(paths: DataPaths, dates: list[date]) -> Iterator[str]:
    """Score people and accounts as of each date, then the latest day; yields a line per build."""
    configure_runtime_environment(paths)
    from orchestration.defs.dbt.project import dbt_cli_resource, ensure_fresh_manifest, ensure_parse_state

    ensure_fresh_manifest()
    ensure_parse_state(paths.dbt_target)
    dbt = dbt_cli_resource()
    for as_of in [*dates, None]:
        invocation = dbt.cli(dbt_build_args(as_of), raise_on_error=True)
        invocation.wait()
        yield f"scored as of {as_of.isoformat() if as_of else 'the latest loaded day'}"
