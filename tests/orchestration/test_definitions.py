"""The Dagster definitions load, and the graph is the one we expect (a review snapshot, written by hand)."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.contract import load_contract

RAW_TABLE_OF_STAGING_MODEL = {
    "stg_crm__accounts": "raw/crm/account",
    "stg_crm__contacts": "raw/crm/contact",
    "stg_crm__leads": "raw/crm/lead",
    "stg_crm__opportunities": "raw/crm/opportunity",
    "stg_crm__opportunity_contact_roles": "raw/crm/opportunity_contact_role",
    "stg_crm__campaigns": "raw/crm/campaign",
    "stg_crm__campaign_members": "raw/crm/campaign_member",
    "stg_crm__tasks": "raw/crm/task",
    "stg_crm__users": "raw/crm/user",
    "stg_crm__mql_dispositions": "raw/crm/mql_disposition",
    "stg_map__leads": "raw/map/lead",
    "stg_map__activities": "raw/map/activity",
    "stg_web__page_views": "raw/web/page_view",
}
STAGING_MODELS = set(RAW_TABLE_OF_STAGING_MODEL)
REFERENCE_SEEDS = {
    "canonical_event_types",
    "activity_taxonomy",
    "title_taxonomy",
    "personal_email_domains",
    "identity_link_rules",
    "scoring_models",
    "fit_rules",
    "interest_rules",
    "grade_thresholds",
    "routing_matrix",
    "routes",
    "fit_critical_fields",
    "buyer_committees",
    "seniority_levels",
    "mqa_rules",
    "learning_settings",
    "learning_features",
    "learned_weight_overrides",
    "mql_acceptance_targets",
    "rejection_reason_actions",
    "dq_thresholds",
}
INTERMEDIATE_MODELS = {
    "int_person_records_unioned",
    "int_person_record_edges",
    "int_person_records_clustered",
    "int_titles_classified",
    "int_person_golden_records",
    "int_crm_accounts_resolved",
    "int_crm_account_contact_domains",
    "int_account_domains",
    "int_person_account_evidence",
    "int_persons_accounts_assigned",
    "int_accounts_unioned",
    "int_scoring_as_of",
    "int_person_attributes_unpivoted",
    "int_scoring_model_persons",
    "int_fit_rules_matched",
    "int_interest_events_capped",
    "int_interest_events_decayed",
    "int_person_completeness",
    "int_person_scores_routed",
    "int_person_mql_entries",
    "int_account_persons_capped",
    "int_account_committee_roles_filled",
    "int_account_opportunities_opened",
    "int_accounts_scored",
    "int_account_person_week_touches",
    "int_account_person_week_totals",
    "int_account_recent_touches",
    "int_activities_unioned",
    "int_person_record_versions",
    "int_activities_resolved",
    "int_learning_cutoffs",
    "int_learning_opportunities",
    "int_learning_examples",
    "int_learning_feature_buckets",
    "int_learning_features",
    "int_learning_weights",
    "int_learning_rule_scores",
    "int_learning_scores",
    "int_learning_predictions",
    "int_learning_predictions_ranked",
    "int_mql_dispositions_persons",
    "int_mql_dispositions_matched",
}
MART_MODELS = {
    "dim_persons",
    "bridge_person_records",
    "dim_accounts",
    "bridge_account_records",
    "rpt_crm_account_domain_collisions",
    "fct_score_ledger",
    "fct_person_scores",
    "fct_person_score_history",
    "fct_mql_events",
    "fct_account_scores",
    "fct_account_score_history",
    "fct_mqa_events",
    "rpt_opportunities_at_risk",
    "rpt_campaign_impact",
    "rpt_account_engagement",
    "rpt_account_recent_engagements",
    "fct_activities",
    "rpt_activity_reconciliation",
    "fct_learned_weights",
    "fct_learned_scores",
    "rpt_model_validation",
    "rpt_model_validation_deciles",
    "rpt_threshold_recommendation",
    "rpt_mql_calibration",
}
PYTHON_ASSETS = {"learning/challenger_predictions"}


@pytest.fixture(scope="module")
def definitions(dbt_manifest_ready: None) -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def test_asset_graph_snapshot(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    raw_keys = {f"raw/{obj.system}/{obj.name}" for obj in load_contract()}
    # dbt models and seeds are keyed <schema>/<name>, raw tables raw/<system>/<object>.
    staging_keys = {f"staging/{model}" for model in STAGING_MODELS}
    seed_keys = {f"reference/{seed}" for seed in REFERENCE_SEEDS}
    intermediate_keys = {f"intermediate/{model}" for model in INTERMEDIATE_MODELS}
    mart_keys = {f"marts/{model}" for model in MART_MODELS}
    assert keys == raw_keys | staging_keys | seed_keys | intermediate_keys | mart_keys | PYTHON_ASSETS


def test_every_staging_model_reads_exactly_its_raw_table(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    for model, raw_table in RAW_TABLE_OF_STAGING_MODEL.items():
        parents = {key.to_user_string() for key in graph.get(dg.AssetKey(["staging", model])).parent_keys}
        assert parents == {raw_table}, model


def test_the_challenger_runs_between_the_learning_features_and_the_validation_reports(
    definitions: dg.Definitions,
) -> None:
    graph = definitions.resolve_asset_graph()
    challenger = dg.AssetKey(["learning", "challenger_predictions"])
    assert {key.to_user_string() for key in graph.get(challenger).parent_keys} == {
        "intermediate/int_learning_examples",
        "intermediate/int_learning_features",
    }
    predictions = graph.get(dg.AssetKey(["intermediate", "int_learning_predictions"]))
    assert challenger in predictions.parent_keys


def test_every_quality_suite_is_a_blocking_check_on_its_staging_table(definitions: dg.Definitions) -> None:
    checks = definitions.resolve_asset_graph().asset_check_keys
    gated = {check.asset_key.to_user_string() for check in checks if check.name == "gx_suite"}
    assert gated == {
        f"staging/{model}"
        for model in (
            "stg_crm__leads",
            "stg_crm__contacts",
            "stg_crm__accounts",
            "stg_crm__opportunities",
            "stg_map__leads",
            "stg_map__activities",
            "stg_web__page_views",
        )
    }
    for key in checks:
        if key.name == "gx_suite":
            assert definitions.resolve_asset_graph().get_check_spec(key).blocking, key


def test_jobs_schedule_and_sensor(definitions: dg.Definitions) -> None:
    assert definitions.resolve_job_def("warehouse_job") is not None
    schedule = definitions.resolve_schedule_def("warehouse_daily")
    assert schedule.cron_schedule == "0 6 * * *"
    assert definitions.resolve_sensor_def("landing_files_sensor").job_name == "warehouse_job"


def test_dbt_tests_surface_as_asset_checks(definitions: dg.Definitions) -> None:
    checks = definitions.resolve_asset_graph().asset_check_keys
    checked_assets = {check.asset_key.to_user_string() for check in checks}
    assert checked_assets >= {f"staging/{model}" for model in STAGING_MODELS}
