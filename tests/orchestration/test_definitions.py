"""The Dagster definitions load, and the graph is the one we expect (a review snapshot, written by hand)."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.contract import load_contract

STAGING_MODELS = {
    "stg_crm__accounts",
    "stg_crm__contacts",
    "stg_crm__leads",
    "stg_crm__opportunities",
    "stg_crm__opportunity_contact_roles",
    "stg_crm__campaigns",
    "stg_crm__campaign_members",
    "stg_crm__tasks",
    "stg_crm__users",
    "stg_crm__mql_dispositions",
    "stg_map__leads",
    "stg_map__activities",
    "stg_web__page_views",
}
REFERENCE_SEEDS = {"canonical_event_types", "activity_taxonomy", "title_taxonomy", "personal_email_domains"}


@pytest.fixture(scope="module")
def definitions(dbt_manifest_ready: None) -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def test_asset_graph_snapshot(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    raw_keys = {f"raw/{obj.system}/{obj.name}" for obj in load_contract()}
    assert raw_keys <= keys
    assert STAGING_MODELS <= keys
    assert REFERENCE_SEEDS <= keys


def test_every_staging_model_reads_its_raw_table(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    for model in STAGING_MODELS:
        system, entity = model.removeprefix("stg_").split("__")
        parents = {key.to_user_string() for key in graph.get(dg.AssetKey(model)).parent_keys}
        assert any(parent.startswith(f"raw/{system}/") for parent in parents), (model, parents)


def test_jobs_schedule_and_sensor(definitions: dg.Definitions) -> None:
    assert definitions.resolve_job_def("warehouse_job") is not None
    schedule = definitions.resolve_schedule_def("warehouse_daily")
    assert schedule.cron_schedule == "0 6 * * *"
    assert definitions.resolve_sensor_def("landing_files_sensor").job_name == "warehouse_job"


def test_dbt_tests_surface_as_asset_checks(definitions: dg.Definitions) -> None:
    checks = definitions.resolve_asset_graph().asset_check_keys
    checked_assets = {check.asset_key.to_user_string() for check in checks}
    assert STAGING_MODELS <= checked_assets
