"""Marketing-automation leads and web visitors: how the same people look to Marketo and to web analytics.

A Marketo lead exists for whoever filled a form; most of those of CRM persons carry their CRM ids
(synced), the rest match only by email. A few people have a second Marketo lead that was merged
into the first (the loser stays in the lead extract; a Merge Leads activity records it). Every
person browses with one or two cookie ids; some identify themselves (an email on a page view).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.generator import vocab
from orchestration.generator.crm_records import Crm, _between, _filled, _pick
from orchestration.generator.ids import hex_ids
from orchestration.generator.mess import MessRates
from orchestration.generator.presets import DAY, END_TS, START_TS, Preset
from orchestration.generator.variants import case_variants, company_name_variants, website_variants
from orchestration.generator.world import World

MAP_ID_BASE = 1_000_001


@dataclass
class Identities:
    map_leads: pd.DataFrame  # output columns + _person_idx, _merged_into (winner id or -1), _merge_ts
    person_map: pd.DataFrame  # per person: map_id (winner, -1 when none), map_created, loser_id, merge_ts
    visitors: pd.DataFrame  # visitor_id, _person_idx (-1 anonymous), _identified_at (-1 never), _company_idx


def build_map_leads(
    rng: np.random.Generator, world: World, crm: Crm, rates: MessRates
) -> tuple[pd.DataFrame, pd.DataFrame]:
    persons, companies = world.persons, world.companies
    n = len(persons)
    company = persons["company_idx"].to_numpy()
    safe = np.maximum(company, 0)
    employee = company >= 0
    present = rng.random(n) < np.where(employee, rates.map_presence_employee, rates.map_presence_non_employee)
    p_idx = np.flatnonzero(present)
    losers = p_idx[rng.random(len(p_idx)) < rates.map_merge_rate]
    all_p = np.concatenate([p_idx, losers])
    is_loser = np.concatenate([np.zeros(len(p_idx), bool), np.ones(len(losers), bool)])
    m = len(all_p)
    ids = MAP_ID_BASE + np.arange(m, dtype=np.int64)
    winner_id = pd.Series(ids[: len(p_idx)], index=p_idx)

    first_seen = persons["first_seen"].to_numpy()
    created = first_seen[all_p] + rng.integers(0, 3 * DAY, m)
    created[is_loser] = first_seen[all_p[is_loser]] - rng.integers(5, 120, int(is_loser.sum())) * DAY
    merge_ts = np.where(
        is_loser, _between(rng, np.maximum(first_seen[all_p], START_TS), np.full(m, END_TS - DAY)), -1
    )

    pc = crm.person_crm
    linked = pc["who_id"].notna().to_numpy()[all_p] & (rng.random(m) < rates.map_linked_rate) & ~is_loser
    as_contact = linked & (pc["who_kind"].to_numpy()[all_p] == "contact")
    as_lead = linked & ~as_contact
    emp = employee[all_p]
    comp_name = pd.Series(companies["name"].to_numpy()[safe[all_p]])
    company_text = company_name_variants(rng, comp_name, rates.company_name_variant_rate).where(emp, None)
    domain = pd.Series(companies["domain"].to_numpy()[safe[all_p]])
    map_leads = pd.DataFrame(
        {
            "id": ids,
            "email": case_variants(
                rng, pd.Series(persons["email"].to_numpy()[all_p]), rates.email_case_variant_rate
            ),
            "firstName": persons["first_name"].to_numpy()[all_p],
            "lastName": persons["last_name"].to_numpy()[all_p],
            "company": company_text,
            "website": website_variants(rng, domain, rates.website_variant_rate).where(
                emp & (rng.random(m) < 0.4), None
            ),
            "title": _filled(rng, persons["title"].to_numpy()[all_p], rates.map_title_filled),
            "industry": _filled(
                rng,
                pd.Series(companies["industry"].to_numpy()[safe[all_p]]).where(emp, None),
                rates.map_industry_filled,
            ),
            "numberOfEmployees": _filled(
                rng, pd.Series(companies["employees"].to_numpy()[safe[all_p]]).where(emp, None), 0.4
            ),
            "country": _filled(rng, companies["country"].to_numpy()[safe[all_p]], 0.8),
            "leadSource": _pick(rng, vocab.LEAD_SOURCES, m),
            "sfdcLeadId": pd.Series(pc["who_id"].to_numpy()[all_p]).where(as_lead, None),
            "sfdcContactId": pd.Series(pc["who_id"].to_numpy()[all_p]).where(as_contact, None),
            "sfdcAccountId": pd.Series(pc["account_id"].to_numpy()[all_p]).where(as_contact, None),
            "unsubscribed": False,
            "emailInvalid": False,
            "createdAt": created,
            "updatedAt": np.where(is_loser, merge_ts, _between(rng, created, np.full(m, END_TS))),
            "_person_idx": all_p,
            "_merged_into": np.where(
                is_loser, winner_id.reindex(all_p).fillna(-1).to_numpy().astype(np.int64), -1
            ),
        }
    )
    person_map = pd.DataFrame(
        {
            "map_id": winner_id.reindex(np.arange(n)).fillna(-1).to_numpy().astype(np.int64),
            "map_created": pd.Series(created[: len(p_idx)], index=p_idx)
            .reindex(np.arange(n))
            .fillna(-1)
            .to_numpy()
            .astype(np.int64),
            "loser_id": pd.Series(ids[is_loser], index=losers)
            .reindex(np.arange(n))
            .fillna(-1)
            .to_numpy()
            .astype(np.int64),
            "merge_ts": pd.Series(merge_ts[is_loser], index=losers)
            .reindex(np.arange(n))
            .fillna(-1)
            .to_numpy()
            .astype(np.int64),
        }
    )
    return map_leads, person_map


def build_visitors(
    rng: np.random.Generator, world: World, person_map: pd.DataFrame, preset: Preset, rates: MessRates
) -> pd.DataFrame:
    """Cookie ids: one or two per person, plus anonymous traffic (sometimes resolved to a company)."""
    persons = world.persons
    n = len(persons)
    per_person = 1 + (rng.random(n) < 0.25)
    v_person = np.repeat(np.arange(n), per_person)
    known = person_map["map_id"].to_numpy()[v_person] >= 0
    identified = known & (rng.random(len(v_person)) < rates.web_identified_rate)
    start = np.maximum(persons["first_seen"].to_numpy()[v_person], START_TS)
    ident_at = np.where(identified, _between(rng, start, np.full(len(v_person), END_TS - 7 * DAY)), -1)
    a = preset.n_anonymous_visitors
    anon_company = np.where(rng.random(a) < 0.3, rng.integers(0, len(world.companies), a), -1)
    total = len(v_person) + a
    return pd.DataFrame(
        {
            "visitor_id": hex_ids("v", np.arange(total), 12),
            "_person_idx": np.concatenate([v_person, np.full(a, -1)]),
            "_identified_at": np.concatenate([ident_at, np.full(a, -1)]),
            "_company_idx": np.concatenate([persons["company_idx"].to_numpy()[v_person], anon_company]),
        }
    )


def build_identities(
    rng: np.random.Generator, world: World, crm: Crm, preset: Preset, rates: MessRates
) -> Identities:
    map_leads, person_map = build_map_leads(rng, world, crm, rates)
    visitors = build_visitors(rng, world, person_map, preset, rates)
    return Identities(map_leads, person_map, visitors)
