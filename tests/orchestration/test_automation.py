"""Pure pieces of the Dagster layer: the landing fingerprint and the dbt translator."""

import os
from pathlib import Path

import dagster as dg

from orchestration.defs.automation.landing import landing_fingerprint
from orchestration.defs.dbt.translator import WarehouseTranslator, group_for_node


def test_fingerprint_changes_when_a_file_lands_and_not_otherwise(tmp_path: Path) -> None:
    empty = landing_fingerprint(tmp_path)
    assert landing_fingerprint(tmp_path / "missing") == empty
    (tmp_path / "crm" / "lead").mkdir(parents=True)
    assert landing_fingerprint(tmp_path) == empty  # folders alone are not deliveries
    extract = tmp_path / "crm" / "lead" / "lead_1.csv"
    extract.write_text("Id\n1\n")
    first = landing_fingerprint(tmp_path)
    assert first != empty
    assert landing_fingerprint(tmp_path) == first
    os.utime(extract, ns=(1, 1))  # a re-delivery with a new modification time
    assert landing_fingerprint(tmp_path) != first


def test_sources_map_to_the_ingestion_keys() -> None:
    props = {"resource_type": "source", "source_name": "crm", "name": "lead", "fqn": ["p", "crm", "lead"]}
    assert WarehouseTranslator().get_asset_key(props) == dg.AssetKey(["raw", "crm", "lead"])


def test_groups_follow_the_model_folder() -> None:
    model = {"resource_type": "model", "fqn": ["mqa_warehouse", "staging", "crm", "stg_crm__leads"]}
    assert group_for_node(model) == "staging"
    seed = {"resource_type": "seed", "fqn": ["mqa_warehouse", "reference", "x"]}
    assert group_for_node(seed) == "reference"
    assert group_for_node({"resource_type": "model", "fqn": ["mqa_warehouse", "top"]}) is None


def test_sensor_requests_a_run_once_per_new_landing_state(tmp_path: Path, monkeypatch) -> None:
    from orchestration.defs.automation.jobs import landing_files_sensor

    monkeypatch.setenv("MQA_DATA_DIR", str(tmp_path))
    (tmp_path / "landing" / "crm" / "lead").mkdir(parents=True)
    (tmp_path / "landing" / "crm" / "lead" / "lead_1.csv").write_text("Id\n1\n")

    first = landing_files_sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(first, dg.SensorResult)
    assert len(first.run_requests) == 1
    assert first.cursor == landing_fingerprint(tmp_path / "landing")

    quiet = landing_files_sensor(dg.build_sensor_context(cursor=first.cursor))
    assert isinstance(quiet, dg.SkipReason)


def test_manifest_is_stale_when_missing_or_older_than_a_project_file(tmp_path: Path) -> None:
    from orchestration.defs.dbt.project import manifest_is_stale

    project = tmp_path / "dbt_project"
    (project / "models").mkdir(parents=True)
    (project / "target").mkdir()
    model = project / "models" / "m.sql"
    model.write_text("select 1")
    manifest = project / "target" / "manifest.json"
    assert manifest_is_stale(manifest, [project])
    manifest.write_text("{}")
    os.utime(model, ns=(1_000_000_000, 1_000_000_000))
    os.utime(manifest, ns=(2_000_000_000, 2_000_000_000))
    assert not manifest_is_stale(manifest, [project])
    (project / "target" / "run_results.json").write_text("{}")  # dbt's own output is not a source
    os.utime(project / "target" / "run_results.json", ns=(3_000_000_000, 3_000_000_000))
    assert not manifest_is_stale(manifest, [project])
    os.utime(model, ns=(3_000_000_000, 3_000_000_000))
    assert manifest_is_stale(manifest, [project])


def test_profile_env_var_names_are_read_from_env_var_calls_once_each() -> None:
    from orchestration.defs.dbt.project import parse_stamp, profile_env_var_names

    profiles = (
        "path: \"{{ env_var('MQA_DUCKDB_PATH', 'warehouse.duckdb') }}\"\n"
        'memory_limit: "{{ env_var( "MQA_DUCKDB_MEMORY_LIMIT" , \'4GB\') }}"\n'
        "again: \"{{ env_var('MQA_DUCKDB_PATH') }}\"\n"
        "# not a call: MQA_OTHER\n"
    )
    assert profile_env_var_names(profiles) == ["MQA_DUCKDB_MEMORY_LIMIT", "MQA_DUCKDB_PATH"]
    assert parse_stamp(profiles, {"MQA_DUCKDB_PATH": "/d/warehouse.duckdb", "HOME": "/root"}) == {
        "MQA_DUCKDB_MEMORY_LIMIT": None,
        "MQA_DUCKDB_PATH": "/d/warehouse.duckdb",
    }


def test_parse_state_is_current_only_for_its_stamp_and_after_the_manifest(tmp_path: Path) -> None:
    from orchestration.defs.dbt.project import parse_state_is_current

    manifest = tmp_path / "target" / "manifest.json"
    manifest.parent.mkdir()
    manifest.write_text("{}")
    state_dir = tmp_path / "dbt_target"
    stamp = {"MQA_DUCKDB_PATH": "/a/warehouse.duckdb"}
    assert not parse_state_is_current(state_dir, manifest, stamp)  # never parsed
    state_dir.mkdir()
    (state_dir / "partial_parse.msgpack").write_bytes(b"\x80")
    assert not parse_state_is_current(state_dir, manifest, stamp)  # parsed, but for an unknown profile
    (state_dir / "parsed_for.json").write_text('{"MQA_DUCKDB_PATH": "/a/warehouse.duckdb"}')
    os.utime(manifest, ns=(1_000_000_000, 1_000_000_000))
    os.utime(state_dir / "partial_parse.msgpack", ns=(2_000_000_000, 2_000_000_000))
    assert parse_state_is_current(state_dir, manifest, stamp)
    assert not parse_state_is_current(state_dir, manifest, {"MQA_DUCKDB_PATH": "/b/warehouse.duckdb"})
    os.utime(manifest, ns=(3_000_000_000, 3_000_000_000))  # the project was prepared again since
    assert not parse_state_is_current(state_dir, manifest, stamp)
