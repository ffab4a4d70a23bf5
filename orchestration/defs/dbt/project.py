"""The dbt project is made in one place: this cached factory.

The manifest is prepared at build time (``mqa prepare``, run by ``make install``) and only
re-parsed on load under ``dagster dev``, so importing the definitions never runs dbt.
"""

from __future__ import annotations

from functools import cache

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.runtime import ensure_tools_on_path, venv_bin_dir
from orchestration.settings import DBT_PROJECT_DIR


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def prepare_manifest() -> DbtProject:
    """Parse the dbt project and write target/manifest.json (the build-time step)."""
    ensure_tools_on_path()
    project = dbt_project()
    project.preparer.prepare(project)
    return project


def dbt_cli_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project(), dbt_executable=str(venv_bin_dir() / "dbt"))
