"""One built small world for every end-to-end module.

`mqa generate --preset small` then `mqa run` take about a minute and a half; the modules here used to
do it each. Each pytest worker (pyproject.toml runs two, each taking whole modules) builds it once
into a template that no test touches, and each module works on its own copy (the modules change
their world: re-runs, bad deliveries, a next day, rebuilds). A copy is the whole data directory:
extracts, truth, warehouse and Dagster instance. Nothing in it names its own location (the load
ledger keeps paths relative to the landing folder; the Dagster instance is found through
DAGSTER_HOME, which `mqa` sets from --data-dir), so a copy runs as the original would.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .cli import mqa


@pytest.fixture(scope="session")
def small_world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small preset after its first `mqa run`. Read it only through ``copy_small_world``."""
    data_dir = tmp_path_factory.mktemp("small-world-template") / "data"
    generated = mqa(data_dir, "generate", "--preset", "small")
    assert generated.returncode == 0, generated.stderr
    ran = mqa(data_dir, "run")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "succeeded" in ran.stdout
    return data_dir


@pytest.fixture(scope="session")
def copy_small_world(small_world_template: Path) -> Callable[[Path], Path]:
    """A function that copies the built small world into ``parent / 'data'`` and returns that path."""

    def copy(parent: Path) -> Path:
        target = parent / "data"
        shutil.copytree(small_world_template, target)
        return target

    return copy
