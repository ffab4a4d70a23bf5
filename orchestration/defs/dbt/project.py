"""The dbt project is made in one place: this cached factory.

The manifest is prepared at build time (``mqa prepare``, run by ``make install``) and only
re-parsed on load under ``dagster dev``, so importing the definitions never runs dbt.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.runtime import ensure_tools_on_path, venv_bin_dir
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"
_NOT_SOURCES = {"target", "logs", "dbt_packages", "lint"}
PARSE_STATE_FILE = "partial_parse.msgpack"
PARSE_STAMP_FILE = "parsed_for.json"
_ENV_VAR_CALL = re.compile(r"""env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")


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


def profile_env_var_names(profiles_text: str) -> list[str]:
    """The environment variables a profiles.yml reads through env_var(), sorted, each once."""
    return sorted(set(_ENV_VAR_CALL.findall(profiles_text)))


def parse_stamp(profiles_text: str, environment: Mapping[str, str]) -> dict[str, str | None]:
    """What a parse state depends on besides the project's files: the profile's environment values."""
    return {name: environment.get(name) for name in profile_env_var_names(profiles_text)}


def parse_state_is_current(state_dir: Path, manifest_path: Path, stamp: Mapping[str, str | None]) -> bool:
    """True when state_dir holds a parse made for this stamp since the manifest was last prepared."""
    state = state_dir / PARSE_STATE_FILE
    stamp_path = state_dir / PARSE_STAMP_FILE
    if not (state.is_file() and stamp_path.is_file() and manifest_path.is_file()):
        return False
    if state.stat().st_mtime < manifest_path.stat().st_mtime:
        return False
    return json.loads(stamp_path.read_text(encoding="utf-8")) == dict(stamp)


def ensure_parse_state(state_dir: Path) -> bool:
    """Parse the project once for this warehouse's profile, into the folder runs start from.

    dbt parses the whole project again (5-6 s on this machine) when the profile's connection
    settings differ from those of the parse state it starts from, and the warehouse path is one of
    them: the state `mqa prepare` writes at install time never fits a run. dagster-dbt copies
    the partial_parse.msgpack of DBT_TARGET_PATH (the data directory's dbt_target, set by
    orchestration.runtime) into each invocation's folder, so one parse here lets the three dbt steps
    of every later run re-parse only the files that changed. True when it parsed.
    """
    project = dbt_project()
    profiles_text = (DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    stamp = parse_stamp(profiles_text, os.environ)
    if parse_state_is_current(state_dir, project.manifest_path, stamp):
        return False
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / PARSE_STAMP_FILE).unlink(missing_ok=True)
    # The dbt executable itself, not DbtCliResource: a parse needs none of the adapter and event
    # handling dagster-dbt sets up in this process (measured: 6 s against 10.6 s on small).
    command = [str(venv_bin_dir() / "dbt"), "parse", "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(state_dir)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip().splitlines()
        raise RuntimeError(f"dbt parse failed (exit {completed.returncode}):\n" + "\n".join(output[-30:]))
    (state_dir / PARSE_STAMP_FILE).write_text(json.dumps(stamp, indent=2, sort_keys=True), encoding="utf-8")
    return True
