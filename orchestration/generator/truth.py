"""The ground truth: the latent state behind the extracts and which record belongs to whom.

Written to a folder the warehouse never reads; identity resolution, scoring backtests and the
generator's own tests measure themselves against it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from orchestration.generator.crm_records import Crm
from orchestration.generator.map_records import Identities
from orchestration.generator.mess import MessRates
from orchestration.generator.presets import EXTRACT_DATE
from orchestration.generator.world import World

if TYPE_CHECKING:
    from orchestration.generator.generate import GenerationSummary


def _date(ts: pd.Series | np.ndarray) -> pd.Series:
    return pd.Series(pd.to_datetime(np.asarray(ts), unit="s", utc=True)).dt.strftime("%Y-%m-%d")


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, lineterminator="\n")


def _record_maps(
    world: World, crm: Crm, ids: Identities, identified: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    persons, companies = world.persons, world.companies
    company_key = companies["company_key"].to_numpy()
    person_company = persons["company_idx"].to_numpy()

    def person_rows(system: str, obj: str, record_ids, person_idx) -> pd.DataFrame:
        person_idx = np.asarray(person_idx, dtype=np.int64)
        comp = person_company[person_idx]
        return pd.DataFrame(
            {
                "source_system": system,
                "source_object": obj,
                "source_record_id": pd.Series(record_ids).astype(str).to_numpy(),
                "true_person_key": persons["person_key"].to_numpy()[person_idx],
                "true_account_key": np.where(comp >= 0, company_key[np.maximum(comp, 0)], ""),
            }
        )

    visitors = ids.visitors.iloc[identified]
    person_records = pd.concat(
        [
            person_rows("crm", "lead", crm.leads["Id"], crm.leads["_person_idx"]),
            person_rows("crm", "contact", crm.contacts["Id"], crm.contacts["_person_idx"]),
            person_rows("map", "lead", ids.map_leads["id"], ids.map_leads["_person_idx"]),
            person_rows("web", "visitor", visitors["visitor_id"], visitors["_person_idx"]),
        ],
        ignore_index=True,
    )
    accounts = pd.DataFrame(
        {
            "source_system": "crm",
            "source_object": "account",
            "source_record_id": crm.accounts["Id"].to_numpy(),
            "true_account_key": company_key[crm.accounts["_company_idx"].to_numpy()],
        }
    )
    account_records = pd.concat([accounts, person_records.drop(columns="true_person_key")], ignore_index=True)
    return person_records.drop(columns="true_account_key"), account_records


def _realised_rates(
    world: World, crm: Crm, ids: Identities, frames: dict[str, pd.DataFrame]
) -> dict[str, float]:
    """Mess rates as they came out, measured on the generated records."""
    persons = world.persons
    emp = persons["kind"].isin(["employee", "researcher", "competitor"]).to_numpy()
    state = crm.person_crm["crm_state"]
    leads, contacts, accounts = crm.leads, crm.contacts, crm.accounts
    live_leads = leads[~leads["_is_duplicate"]]
    has_lead_persons = live_leads["_person_idx"].nunique()
    return {
        "share_employees_lead_and_contact_unlinked": round(
            float((state[emp] == "lead_and_contact_unlinked").mean()), 4
        ),
        "share_employees_converted": round(float((state[emp] == "converted").mean()), 4),
        "share_employees_lead_only": round(float((state[emp] == "lead_only").mean()), 4),
        "duplicate_lead_rate": round(float(leads["_is_duplicate"].sum() / max(has_lead_persons, 1)), 4),
        "merged_leads": int(leads["IsDeleted"].sum()),
        "merged_contacts": int(contacts["IsDeleted"].sum()),
        "map_merges": int((ids.map_leads["_merged_into"] >= 0).sum()),
        "duplicate_account_rate": round(
            float(accounts["_is_duplicate"].sum() / max((~accounts["_is_duplicate"]).sum(), 1)), 4
        ),
        "personal_email_employee_rate": round(float(persons.loc[emp, "uses_personal_email"].mean()), 4),
        "lead_industry_filled": round(float(leads["Industry"].notna().mean()), 4),
        "lead_employees_filled": round(float(leads["NumberOfEmployees"].notna().mean()), 4),
        "lead_title_filled": round(float(leads["Title"].notna().mean()), 4),
        "contact_department_filled": round(float(contacts["Department"].notna().mean()), 4),
        "contact_title_filled": round(float(contacts["Title"].notna().mean()), 4),
        "account_industry_filled": round(float(accounts["Industry"].notna().mean()), 4),
        "map_linked_rate": round(
            float((ids.map_leads["sfdcLeadId"].notna() | ids.map_leads["sfdcContactId"].notna()).mean()), 4
        ),
        "mql_acceptance_rate": round(float((frames["mql_disposition"]["Status__c"] == "Accepted").mean()), 4)
        if len(frames["mql_disposition"])
        else 0.0,
    }


def write_truth(
    truth: Path,
    landing: Path,
    world: World,
    crm: Crm,
    ids: Identities,
    frames: dict[str, pd.DataFrame],
    identified: np.ndarray,
    malformed: list[dict],
    summary: GenerationSummary,
    rates: MessRates,
) -> None:
    truth.mkdir(parents=True, exist_ok=True)
    companies, persons, cycles = world.companies, world.persons, world.cycles
    company_key = companies["company_key"].to_numpy()
    acc_ids = crm.accounts.groupby("_company_idx")["Id"].agg(";".join)
    parent = companies["parent_idx"].to_numpy()
    _write_csv(
        pd.DataFrame(
            {
                "true_account_key": company_key,
                "name": companies["name"],
                "domain": companies["domain"],
                "industry": companies["industry"],
                "employees": companies["employees"],
                "country": companies["country"],
                "tech_stack": companies["tech_stack"],
                "icp_score": companies["icp_score"],
                "segment": companies["segment"],
                "is_ideal_profile": companies["segment"].isin(["A"]),
                "is_competitor": companies["is_competitor"],
                "parent_account_key": np.where(parent >= 0, company_key[np.maximum(parent, 0)], ""),
                "crm_account_ids": acc_ids.reindex(np.arange(len(companies))).fillna("").to_numpy(),
            }
        ),
        truth / "accounts.csv",
    )
    comp = persons["company_idx"].to_numpy()
    _write_csv(
        pd.DataFrame(
            {
                "true_person_key": persons["person_key"],
                "true_account_key": np.where(comp >= 0, company_key[np.maximum(comp, 0)], ""),
                "kind": persons["kind"],
                "first_name": persons["first_name"],
                "last_name": persons["last_name"],
                "email": persons["email"],
                "title": persons["title"],
                "department": persons["department"],
                "seniority": persons["seniority"],
                "committee_role": persons["committee_role"],
                "is_student": persons["is_student"],
                "crm_state": crm.person_crm["crm_state"],
            }
        ),
        truth / "persons.csv",
    )
    opp_of_cycle = crm.opportunities[crm.opportunities["Type"] != "Services"].set_index("_cycle_idx")["Id"]
    eng = world.engagements
    roles = pd.Series(persons["committee_role"].to_numpy()[eng["person_idx"].to_numpy()])
    engaged_roles = roles.groupby(eng["cycle_idx"].to_numpy()).agg(lambda r: ";".join(sorted(set(r))))
    _write_csv(
        pd.DataFrame(
            {
                "cycle_key": cycles["cycle_key"],
                "true_account_key": company_key[cycles["company_idx"].to_numpy()],
                "started_on": _date(cycles["start"]),
                "opportunity_created_on": _date(cycles["opp_created"]),
                "opportunity_id": opp_of_cycle.reindex(np.arange(len(cycles))).fillna("").to_numpy(),
                "opportunity_type": cycles["opp_type"],
                "product_line": cycles["product_line"],
                "n_engaged": cycles["n_engaged"],
                "engaged_roles": engaged_roles.reindex(np.arange(len(cycles))).fillna("").to_numpy(),
                "key_roles_engaged": cycles["key_roles_engaged"],
                "is_closed": cycles["is_closed"],
                "is_won": cycles["is_won"],
            }
        ),
        truth / "buying_cycles.csv",
    )
    _write_csv(
        pd.DataFrame(
            {
                "cycle_key": cycles["cycle_key"].to_numpy()[eng["cycle_idx"].to_numpy()],
                "true_person_key": persons["person_key"].to_numpy()[eng["person_idx"].to_numpy()],
                "committee_role": roles,
            }
        ),
        truth / "cycle_members.csv",
    )
    person_records, account_records = _record_maps(world, crm, ids, identified)
    _write_csv(person_records, truth / "person_records.csv")
    _write_csv(account_records, truth / "account_records.csv")

    objects: dict[str, dict] = {}
    for key, n_rows in sorted(summary.rows.items()):
        system, obj = key.split("/")
        files = [f for f in summary.files if f.startswith(f"{system}/{obj}/")]
        bad = [m for m in malformed if system == "crm" and m["object"] == obj]
        frame = frames.get(obj) if system == "crm" else None
        objects[key] = {
            "files": files,
            "rows": n_rows,
            "distinct_ids": (int(frame["Id"].nunique()) + len(bad)) if frame is not None else None,
            "malformed_rows": bad,
        }
    objects["map/lead"]["distinct_ids"] = int(ids.map_leads["id"].nunique())
    objects["map/activity"]["distinct_ids"] = objects["map/activity"]["rows"]
    objects["web/page_view"]["distinct_ids"] = objects["web/page_view"]["rows"]
    objects["crm/task"]["distinct_ids"] = objects["crm/task"]["rows"]
    manifest = {
        "preset": summary.preset,
        "seed": summary.seed,
        "extract_date": EXTRACT_DATE.strftime("%Y-%m-%d"),
        "objects": objects,
        "malformed_rows": malformed,
        "mess_rates": asdict(rates),
        "realised_rates": _realised_rates(world, crm, ids, frames),
    }
    (truth / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
