"""Dates and dbt arguments of `mqa rescore` (the builds themselves run in the end-to-end test)."""

from datetime import date

import pytest

from orchestration.rescore import dbt_build_args, rescore_dates


def test_dates_step_from_start_and_include_the_end_when_it_falls_on_a_step() -> None:
    assert rescore_dates(date(2026, 10, 1), date(2026, 10, 15), 7) == [
        date(2026, 10, 1),
        date(2026, 10, 8),
        date(2026, 10, 15),
    ]
    assert rescore_dates(date(2026, 10, 1), date(2026, 10, 14), 7) == [date(2026, 10, 1), date(2026, 10, 8)]
    assert rescore_dates(date(2026, 10, 1), date(2026, 10, 1), 7) == [date(2026, 10, 1)]


def test_bad_ranges_are_refused() -> None:
    with pytest.raises(ValueError, match="before the start"):
        rescore_dates(date(2026, 10, 2), date(2026, 10, 1), 1)
    with pytest.raises(ValueError, match="at least 1"):
        rescore_dates(date(2026, 10, 1), date(2026, 10, 2), 0)


def test_build_args_pass_the_date_as_the_as_of_var() -> None:
    assert dbt_build_args(date(2026, 9, 30)) == [
        "build",
        "--select",
        "tag:scoring tag:accounts",
        "--vars",
        '{"as_of": "2026-09-30"}',
    ]
    assert dbt_build_args(None) == ["build", "--select", "tag:scoring tag:accounts"]
