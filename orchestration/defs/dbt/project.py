"""The dbt project is made in one place: this cached factory.

The manifest is prepared at build time (``mqa prepare``, run by ``make install``) and only
re-parsed on load under ``dagster dev``, so importing the definitions never runs dbt.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.runtime import ensure_tools_on_path, venv_bin_dir
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"
_NOT_SOURCES = {"target", "logs", "dbt_packages", "lint"}


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


def manifest_is_stale(manifest_path: Path, source_dirs: list[Path]) -> bool:
    """True when the manifest is missing or older than any model, macro, test, seed or config file.

    A model edited after `mqa prepare` would otherwise run against the old manifest (or not at all).
    """
    if not manifest_path.exists():
        return True
    built_at = manifest_path.stat().st_mtime
    for source_dir in source_dirs:
        for path in source_dir.rglob("*"):
            relative_parts = path.relative_to(source_dir).parts
            if relative_parts and relative_parts[0] in _NOT_SOURCES:
                continue
            if path.is_file() and path.stat().st_mtime > built_at:
                return True
    return False


def ensure_fresh_manifest() -> DbtProject:
    """Re-parse the dbt project when its files changed since the manifest was written."""
    project = dbt_project()
    if manifest_is_stale(project.manifest_path, [DBT_PROJECT_DIR, SEEDS_DIR]):
        return prepare_manifest()
    return project


def dbt_cli_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project(), dbt_executable=str(venv_bin_dir() / "dbt"))
