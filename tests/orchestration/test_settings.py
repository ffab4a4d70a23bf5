"""The data directory: flag over environment over ./data, always absolute."""

from pathlib import Path

import pytest

from orchestration.runtime import runtime_environment
from orchestration.settings import DATA_DIR_ENV, resolve_data_dir


def test_flag_wins_over_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from_env"))
    assert resolve_data_dir(tmp_path / "from_flag").root == tmp_path / "from_flag"


def test_environment_wins_over_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from_env"))
    assert resolve_data_dir().root == tmp_path / "from_env"


def test_default_is_data_in_working_directory_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    paths = resolve_data_dir()
    assert paths.root == tmp_path / "data"
    assert paths.warehouse == tmp_path / "data" / "warehouse.duckdb"
    assert paths.landing.is_absolute()


def test_runtime_environment_points_dbt_and_dagster_into_the_data_directory(tmp_path: Path) -> None:
    env = runtime_environment(resolve_data_dir(tmp_path))
    assert env["MQA_DUCKDB_PATH"] == str(tmp_path / "warehouse.duckdb")
    assert env["DAGSTER_HOME"] == str(tmp_path / "dagster_home")
    assert env["DBT_SEND_ANONYMOUS_USAGE_STATS"] == "false"
    assert env["DBT_TARGET_PATH"] == str(tmp_path / "dbt_target")
