"""The CRM as sales and marketing filled it in: users, accounts, leads, contacts, campaigns, deals.

Rendered from the hidden world with the documented mess (MessRates): never-converted leads at
known accounts, leads and contacts for the same human without a link, duplicates and merges,
variants of names, websites and emails, missing fields. Referential integrity holds the way
Salesforce holds it: every id a record points at exists in its extract (perhaps deleted).
Internal columns start with an underscore (person and company positions); writers drop them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.generator import vocab
from orchestration.generator.ids import sf_ids
from orchestration.generator.mess import MessRates
from orchestration.generator.presets import DAY, END_TS, START_TS, Preset
from orchestration.generator.variants import (
    case_variants,
    company_name_variants,
    duplicate_email_variant,
    mail_subdomain,
    website_variants,
)
from orchestration.generator.world import World

NON_EMPLOYEE_COMPANY = ("[not provided]", "Student", "Self", "n/a", "Freelance")
CRM_STATES = ("none", "lead_only", "converted", "contact_only", "lead_and_contact_unlinked")


@dataclass
class Crm:
    """CRM tables (output columns plus ``_``-prefixed internal ones) and each person's CRM handle."""

    users: pd.DataFrame
    accounts: pd.DataFrame
    leads: pd.DataFrame
    contacts: pd.DataFrame
    campaigns: pd.DataFrame
    opportunities: pd.DataFrame
    contact_roles: pd.DataFrame
    person_crm: pd.DataFrame  # per person: crm_state, who_id, who_kind, account_id, owner_id, crm_created


def _pick(rng: np.random.Generator, values: tuple | list | np.ndarray, n: int) -> np.ndarray:
    arr = np.asarray(values, dtype=object)
    return arr[rng.integers(0, len(arr), n)]


def _filled(rng: np.random.Generator, values: pd.Series | np.ndarray, rate: float) -> pd.Series:
    """Blank out a (1 - rate) share of values: the field was never entered."""
    s = pd.Series(values).astype(object)
    return s.where(rng.random(len(s)) < rate, None)


def _between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.maximum(np.asarray(hi, dtype=np.int64), lo + 1)
    return lo + (rng.random(len(lo)) * (hi - lo)).astype(np.int64)


def build_users(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Sales and marketing users; SDRs own leads, AEs own accounts, contacts and deals."""
    roles = np.array(["SDR", "Account Executive", "Marketing Ops", "Customer Success Manager"], dtype=object)
    role = roles[np.arange(n) % 4 if n < 8 else rng.choice(4, n, p=(0.35, 0.4, 0.1, 0.15))]
    role[:2] = ["SDR", "Account Executive"]
    dept = pd.Series(role).map(
        {
            "SDR": "Sales",
            "Account Executive": "Sales",
            "Marketing Ops": "Marketing",
            "Customer Success Manager": "Customer Success",
        }
    )
    first = pd.Series(_pick(rng, vocab.FIRST_NAMES, n))
    last = pd.Series(_pick(rng, vocab.LAST_NAMES, n))
    local = (first + "." + last).str.lower().str.replace(r"[^a-z.]", "", regex=True) + pd.Series(
        np.arange(n)
    ).astype(str)
    created = START_TS - 400 * DAY + (rng.random(n) * 500 * DAY).astype(np.int64)
    return pd.DataFrame(
        {
            "Id": sf_ids("user", np.arange(n)),
            "Name": first + " " + last,
            "Email": local + "@lumenary.io",
            "Title": role,
            "Department": dept,
            "IsActive": rng.random(n) < 0.9,
            "CreatedDate": created,
            "SystemModstamp": _between(rng, created, np.full(n, END_TS)),
        }
    )


def _owners(rng: np.random.Generator, users: pd.DataFrame, title: str, n: int) -> np.ndarray:
    pool = users.loc[users["Title"] == title, "Id"].to_numpy()
    return pool[rng.integers(0, len(pool), n)]


def build_accounts(
    rng: np.random.Generator, world: World, users: pd.DataFrame, rates: MessRates
) -> tuple[pd.DataFrame, np.ndarray]:
    """CRM accounts for most companies (every company with a deal), a few companies twice over one domain.

    Returns the accounts and, per company, the position of its primary account (-1 when none).
    """
    companies, cycles = world.companies, world.cycles
    n = len(companies)
    has_deal = np.bincount(cycles.loc[cycles["has_opp"], "company_idx"], minlength=n) > 0
    has_account = has_deal | (rng.random(n) < 0.72)
    parent = companies["parent_idx"].to_numpy()
    child_with_account = has_account & (parent >= 0)
    has_account[parent[child_with_account]] = True

    primary = np.flatnonzero(has_account)
    dup = primary[rng.random(len(primary)) < rates.duplicate_account_rate]
    company_of = np.concatenate([primary, dup])
    is_dup = np.concatenate([np.zeros(len(primary), bool), np.ones(len(dup), bool)])
    m = len(company_of)
    ids = sf_ids("account", np.arange(m))
    primary_pos = np.full(n, -1, dtype=np.int64)
    primary_pos[primary] = np.arange(len(primary))

    first_opp = pd.Series(cycles["opp_created"].to_numpy()).groupby(cycles["company_idx"].to_numpy()).min()
    latest = np.full(n, END_TS - 5 * DAY, dtype=np.int64)
    latest[first_opp.index.to_numpy()] = np.minimum(
        latest[first_opp.index.to_numpy()], first_opp.to_numpy() - 2 * DAY
    )
    created = _between(rng, np.full(m, START_TS - 365 * DAY), latest[company_of])
    created[is_dup] = _between(rng, created[is_dup], np.full(int(is_dup.sum()), END_TS - DAY))

    name = pd.Series(companies["name"].to_numpy()[company_of])
    name = name.where(~is_dup, company_name_variants(rng, name, 1.0))
    domain = pd.Series(companies["domain"].to_numpy()[company_of])
    won = np.bincount(cycles.loc[cycles["is_won"], "company_idx"], minlength=n) > 0
    acc_type = np.where(
        companies["is_competitor"].to_numpy()[company_of],
        "Competitor",
        np.where(won[company_of], "Customer", np.where(rng.random(m) < 0.03, "Partner", "Prospect")),
    )
    parent_pos = np.where(parent[company_of] >= 0, primary_pos[np.maximum(parent[company_of], 0)], -1)
    parent_id = pd.Series(ids[np.maximum(parent_pos, 0)]).where(parent_pos >= 0, None)
    owner = _owners(rng, users, "Account Executive", n)[company_of]
    accounts = pd.DataFrame(
        {
            "Id": ids,
            "Name": name,
            "Website": _filled(rng, website_variants(rng, domain, 0.5), rates.account_website_filled),
            "Industry": _filled(
                rng, companies["industry"].to_numpy()[company_of], rates.account_industry_filled
            ),
            "NumberOfEmployees": _filled(
                rng, companies["employees"].to_numpy()[company_of], rates.account_employees_filled
            ),
            "AnnualRevenue": _filled(
                rng, companies["annual_revenue"].to_numpy()[company_of], rates.account_revenue_filled
            ),
            "BillingCountry": _filled(
                rng, companies["country"].to_numpy()[company_of], rates.account_country_filled
            ),
            "ParentId": parent_id.where(~is_dup, None),
            "Tech_Stack__c": _filled(
                rng, companies["tech_stack"].to_numpy()[company_of], rates.account_tech_stack_filled
            ),
            "Type": acc_type,
            "OwnerId": owner,
            "IsDeleted": False,
            "MasterRecordId": None,
            "CreatedDate": created,
            "SystemModstamp": _between(rng, created, np.full(m, END_TS)),
            "_company_idx": company_of,
            "_is_duplicate": is_dup,
        }
    )
    return accounts, primary_pos


def _crm_states(
    rng: np.random.Generator, world: World, primary_account: np.ndarray, rates: MessRates
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's CRM state, and the creation time of the first deal they engaged in (or -1)."""
    persons, cycles, eng = world.persons, world.cycles, world.engagements
    n = len(persons)
    company = persons["company_idx"].to_numpy()
    with_account = (company >= 0) & (primary_account[np.maximum(company, 0)] >= 0)
    u = rng.random(n)
    probs = np.cumsum(
        [
            rates.crm_none,
            rates.crm_lead_only,
            rates.crm_converted,
            rates.crm_contact_only,
            rates.crm_lead_and_contact_unlinked,
        ]
    )
    state = np.searchsorted(probs / probs[-1], u, side="right")
    no_account_state = np.where(u < rates.lead_rate_without_account, 1, 0)
    state = np.where(with_account, state, no_account_state)
    non_emp = company < 0
    state[non_emp] = np.where(rng.random(int(non_emp.sum())) < rates.lead_rate_non_employee, 1, 0)

    # Whoever engaged in a deal is a contact on it: leads get converted, unknowns get entered.
    opp_eng = eng[cycles["has_opp"].to_numpy()[eng["cycle_idx"].to_numpy()]]
    first_deal = np.full(n, -1, dtype=np.int64)
    deal_time = cycles["opp_created"].to_numpy()[opp_eng["cycle_idx"].to_numpy()]
    if len(opp_eng):
        s = pd.Series(deal_time).groupby(opp_eng["person_idx"].to_numpy()).min()
        first_deal[s.index.to_numpy()] = s.to_numpy()
    in_deal = first_deal >= 0
    state = np.where(in_deal & (state == 0), 3, state)
    state = np.where(in_deal & (state == 1), 2, state)
    return state, first_deal


def build_people_records(
    rng: np.random.Generator,
    world: World,
    accounts: pd.DataFrame,
    primary_account: np.ndarray,
    users: pd.DataFrame,
    rates: MessRates,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Leads and contacts for every person with a CRM presence, with duplicates, merges and missing fields."""
    persons, companies = world.persons, world.companies
    n = len(persons)
    state, first_deal = _crm_states(rng, world, primary_account, rates)
    company = persons["company_idx"].to_numpy()
    safe_company = np.maximum(company, 0)
    first_seen = persons["first_seen"].to_numpy()
    is_work_email = ~persons["uses_personal_email"].to_numpy()

    has_lead = np.isin(state, (1, 2, 4))
    has_contact = np.isin(state, (2, 3, 4))

    # --- Contacts: the account is the company's primary account (sometimes its duplicate).
    c_person = np.flatnonzero(has_contact)
    acc_company = accounts["_company_idx"].to_numpy()
    dup_acc = (
        pd.Series(np.flatnonzero(accounts["_is_duplicate"].to_numpy()))
        .groupby(acc_company[accounts["_is_duplicate"].to_numpy()])
        .first()
    )
    c_acc = primary_account[safe_company[c_person]]
    dup_of = pd.Series(c_acc).map(
        pd.Series(dup_acc.to_numpy(), index=primary_account[dup_acc.index.to_numpy()])
    )
    use_dup = dup_of.notna().to_numpy() & (rng.random(len(c_person)) < 0.3)
    c_acc = np.where(use_dup, dup_of.fillna(0).to_numpy().astype(np.int64), c_acc)
    lead_created = first_seen.copy()
    conv_time = np.where(
        first_deal >= 0,
        first_deal,
        _between(rng, lead_created, lead_created + ((END_TS - lead_created) * 0.6).astype(np.int64)),
    )
    conv_time = np.maximum(conv_time, lead_created + DAY)
    contact_created = np.select(
        [state == 2, state == 3, state == 4],
        [
            conv_time,
            np.where(first_deal >= 0, np.minimum(first_seen, first_deal - DAY), first_seen),
            _between(rng, first_seen, np.full(n, END_TS - DAY)),
        ],
        first_seen,
    )
    contact_created = np.where(
        (first_deal >= 0) & (state == 4), np.minimum(contact_created, first_deal - DAY), contact_created
    )

    # Merged-away duplicate contacts (IsDeleted, MasterRecordId = survivor).
    c_dup = c_person[rng.random(len(c_person)) < rates.merged_contact_rate]
    all_c_person = np.concatenate([c_person, c_dup])
    c_is_loser = np.concatenate([np.zeros(len(c_person), bool), np.ones(len(c_dup), bool)])
    all_c_acc = np.concatenate([c_acc, c_acc[np.searchsorted(c_person, c_dup)]])
    mc = len(all_c_person)
    contact_ids = sf_ids("contact", np.arange(mc))
    survivor_contact = pd.Series(contact_ids[: len(c_person)], index=c_person)
    c_created = contact_created[all_c_person]
    c_created[c_is_loser] = _between(rng, c_created[c_is_loser], np.full(int(c_is_loser.sum()), END_TS - DAY))
    email = persons["email"].to_numpy()[all_c_person]
    c_email = case_variants(
        rng,
        mail_subdomain(rng, pd.Series(email), is_work_email[all_c_person], rates.mail_subdomain_rate),
        rates.email_case_variant_rate,
    )
    c_modstamp = _between(rng, c_created, np.full(mc, END_TS))
    contacts = pd.DataFrame(
        {
            "Id": contact_ids,
            "AccountId": accounts["Id"].to_numpy()[all_c_acc],
            "FirstName": persons["first_name"].to_numpy()[all_c_person],
            "LastName": persons["last_name"].to_numpy()[all_c_person],
            "Email": c_email,
            "Title": _filled(rng, persons["title"].to_numpy()[all_c_person], rates.contact_title_filled),
            "Department": _filled(
                rng, persons["department"].to_numpy()[all_c_person], rates.contact_department_filled
            ),
            "MailingCountry": _filled(
                rng, companies["country"].to_numpy()[safe_company[all_c_person]], rates.contact_country_filled
            ),
            "LeadSource": _pick(rng, vocab.LEAD_SOURCES, mc),
            "HasOptedOutOfEmail": rng.random(mc) < 0.03,
            "OwnerId": accounts["OwnerId"].to_numpy()[all_c_acc],
            "IsDeleted": c_is_loser,
            "MasterRecordId": pd.Series(survivor_contact.reindex(all_c_person).to_numpy()).where(
                c_is_loser, None
            ),
            "CreatedDate": c_created,
            "SystemModstamp": c_modstamp,
            "_person_idx": all_c_person,
            "_company_idx": company[all_c_person],
        }
    )

    # --- Leads: one per person with a lead, plus duplicates (half of them merged away).
    l_person = np.flatnonzero(has_lead)
    l_dup = l_person[rng.random(len(l_person)) < rates.duplicate_lead_rate]
    all_l_person = np.concatenate([l_person, l_dup])
    l_is_dup = np.concatenate([np.zeros(len(l_person), bool), np.ones(len(l_dup), bool)])
    ml = len(all_l_person)
    lead_ids = sf_ids("lead", np.arange(ml))
    survivor_lead = pd.Series(lead_ids[: len(l_person)], index=l_person)
    l_merged = l_is_dup & (rng.random(ml) < rates.duplicate_lead_merged_share)
    l_created = lead_created[all_l_person].copy()
    l_created[l_is_dup] = _between(rng, l_created[l_is_dup], np.full(int(l_is_dup.sum()), END_TS - DAY))

    base_email = mail_subdomain(
        rng,
        pd.Series(persons["email"].to_numpy()[all_l_person]),
        is_work_email[all_l_person],
        rates.mail_subdomain_rate,
    )
    base_email = case_variants(rng, base_email, rates.email_case_variant_rate)
    original_email = pd.Series(base_email.to_numpy()[: len(l_person)], index=l_person)
    dup_email = duplicate_email_variant(rng, pd.Series(original_email.reindex(l_dup).to_numpy()))
    l_email = pd.concat([pd.Series(original_email.to_numpy()), dup_email], ignore_index=True)
    l_email = l_email.where(l_is_dup | (rng.random(ml) >= rates.lead_email_missing_rate), None)

    l_company_idx = company[all_l_person]
    emp = l_company_idx >= 0
    comp_name = pd.Series(companies["name"].to_numpy()[safe_company[all_l_person]])
    company_text = company_name_variants(rng, comp_name, rates.company_name_variant_rate)
    company_text = company_text.where(emp, pd.Series(_pick(rng, NON_EMPLOYEE_COMPANY, ml)))
    website = website_variants(
        rng, pd.Series(companies["domain"].to_numpy()[safe_company[all_l_person]]), rates.website_variant_rate
    )
    website = website.where(emp & (rng.random(ml) < rates.lead_website_filled), None)
    employees = pd.Series(companies["employees"].to_numpy()[safe_company[all_l_person]]).where(emp, None)
    industry = pd.Series(companies["industry"].to_numpy()[safe_company[all_l_person]]).where(emp, None)
    country = pd.Series(companies["country"].to_numpy()[safe_company[all_l_person]]).where(
        emp, pd.Series(_pick(rng, [c[0] for c in vocab.COUNTRIES], ml))
    )

    l_state = state[all_l_person]
    is_conv = (l_state == 2) & ~l_is_dup
    conv_contact = pd.Series(survivor_contact.reindex(all_l_person).to_numpy()).where(is_conv, None)
    conv_account = pd.Series(
        contacts.set_index("Id")["AccountId"].reindex(conv_contact.fillna("")).to_numpy()
    ).where(is_conv, None)
    conv_date = pd.Series(conv_time[all_l_person]).where(is_conv, None)
    status = np.where(is_conv, "Converted", _pick(rng, ("Open", "Working", "Nurture", "Unqualified"), ml))
    title = _filled(rng, persons["title"].to_numpy()[all_l_person], rates.lead_title_filled)
    leads = pd.DataFrame(
        {
            "Id": lead_ids,
            "FirstName": persons["first_name"].to_numpy()[all_l_person],
            "LastName": persons["last_name"].to_numpy()[all_l_person],
            "Email": l_email,
            "Company": company_text,
            "Website": website,
            "Title": title,
            "Industry": _filled(rng, industry, rates.lead_industry_filled),
            "NumberOfEmployees": _filled(rng, employees, rates.lead_employees_filled),
            "Country": _filled(rng, country, rates.lead_country_filled),
            "LeadSource": _pick(rng, vocab.LEAD_SOURCES, ml),
            "Status": status,
            "IsConverted": is_conv,
            "ConvertedContactId": conv_contact,
            "ConvertedAccountId": conv_account,
            "ConvertedOpportunityId": None,
            "ConvertedDate": conv_date,
            "HasOptedOutOfEmail": rng.random(ml) < 0.03,
            "OwnerId": _owners(rng, users, "SDR", ml),
            "IsDeleted": l_merged,
            "MasterRecordId": pd.Series(survivor_lead.reindex(all_l_person).to_numpy()).where(l_merged, None),
            "CreatedDate": l_created,
            "SystemModstamp": np.maximum(
                _between(rng, l_created, np.full(ml, END_TS)), np.where(is_conv, conv_time[all_l_person], 0)
            ),
            "_person_idx": all_l_person,
            "_company_idx": l_company_idx,
            "_is_duplicate": l_is_dup,
        }
    )

    # --- Per person: the CRM record sales works with (surviving contact, else surviving lead).
    who_contact = survivor_contact.reindex(np.arange(n))
    who_lead = survivor_lead.reindex(np.arange(n))
    contact_account = pd.Series(contacts["AccountId"].to_numpy()[: len(c_person)], index=c_person).reindex(
        np.arange(n)
    )
    contact_owner = pd.Series(contacts["OwnerId"].to_numpy()[: len(c_person)], index=c_person).reindex(
        np.arange(n)
    )
    lead_owner = pd.Series(leads["OwnerId"].to_numpy()[: len(l_person)], index=l_person).reindex(np.arange(n))
    lead_bad_data = pd.Series(
        (leads["Email"].isna() | (leads["Title"].isna() & leads["Industry"].isna())).to_numpy()[
            : len(l_person)
        ],
        index=l_person,
    ).reindex(np.arange(n), fill_value=False)
    use_contact = who_contact.notna().to_numpy()
    person_crm = pd.DataFrame(
        {
            "crm_state": np.array(CRM_STATES, dtype=object)[state],
            "who_id": who_contact.where(use_contact, who_lead).to_numpy(),
            "who_kind": np.where(use_contact, "contact", np.where(who_lead.notna(), "lead", None)),
            "account_id": contact_account.to_numpy(),
            "owner_id": contact_owner.where(use_contact, lead_owner).to_numpy(),
            "crm_created": np.where(use_contact, contact_created, lead_created),
            "lead_id": who_lead.to_numpy(),
            "contact_id": who_contact.to_numpy(),
            "bad_data": lead_bad_data.to_numpy() & ~use_contact,
            "first_deal": first_deal,
        }
    )
    return leads, contacts, person_crm


def build_campaigns(rng: np.random.Generator) -> pd.DataFrame:
    """Two years of programmes: fortnightly webinars, content offers, monthly emails, events, paid."""
    webinar_days = START_TS + 10 * DAY + np.arange(0, 740, 14) * DAY + 16 * 3600
    n_web = len(webinar_days)
    topics = np.array(vocab.WEBINAR_TOPICS, dtype=object)[np.arange(n_web) % len(vocab.WEBINAR_TOPICS)]
    web_names = (
        pd.Series(pd.to_datetime(webinar_days, unit="s").strftime("%Y-%m-%d")).radd("Webinar ")
        + ": "
        + topics
    )
    month_starts = START_TS + np.arange(24) * 30 * DAY
    content = ("Semantic Layer Ebook", "BI Buyers Guide", "State of Analytics Report", "ROI Calculator")
    rows = [
        pd.DataFrame({"Name": web_names, "Type": "Webinar", "_start": webinar_days, "_end": webinar_days}),
        pd.DataFrame(
            {
                "Name": [f"Content: {c} {y}" for y in (2025, 2026) for c in content],
                "Type": "Content",
                "_start": np.repeat(START_TS + np.array([0, 365]) * DAY, len(content)),
                "_end": np.repeat(START_TS + np.array([365, 730]) * DAY, len(content)),
            }
        ),
        pd.DataFrame(
            {
                "Name": pd.Series(pd.to_datetime(month_starts, unit="s").strftime("%Y-%m")).radd(
                    "Email: Newsletter "
                ),
                "Type": "Email",
                "_start": month_starts,
                "_end": month_starts + 29 * DAY,
            }
        ),
        pd.DataFrame(
            {
                "Name": [
                    "Data Summit 2025",
                    "Analytics Expo 2025",
                    "Data Summit 2026",
                    "Analytics Expo 2026",
                    "Direct Mail: Holiday 2025",
                    "Paid: Search Brand",
                    "Paid: Search Competitors",
                    "Paid: LinkedIn ABM",
                ],
                "Type": [
                    "Trade Show",
                    "Event",
                    "Trade Show",
                    "Event",
                    "Direct Mail",
                    "Paid Search",
                    "Paid Search",
                    "Paid Search",
                ],
                "_start": START_TS + np.array([150, 280, 515, 645, 390, 0, 0, 200]) * DAY,
                "_end": START_TS + np.array([152, 281, 517, 646, 400, 729, 729, 729]) * DAY,
            }
        ),
    ]
    c = pd.concat(rows, ignore_index=True)
    m = len(c)
    c["Id"] = sf_ids("campaign", np.arange(m))
    c["Status"] = np.where(
        c["_end"] < END_TS, "Completed", np.where(c["_start"] <= END_TS, "In Progress", "Planned")
    )
    c["StartDate"] = c["_start"]
    c["EndDate"] = c["_end"]
    c["IsDeleted"] = False
    c["CreatedDate"] = c["_start"] - 30 * DAY - rng.integers(0, 5 * DAY, m)
    c["SystemModstamp"] = np.minimum(c["_end"] + DAY, END_TS - 3600)
    return c[
        [
            "Id",
            "Name",
            "Type",
            "Status",
            "StartDate",
            "EndDate",
            "IsDeleted",
            "CreatedDate",
            "SystemModstamp",
            "_start",
            "_end",
        ]
    ]


def build_deals(
    rng: np.random.Generator,
    world: World,
    accounts: pd.DataFrame,
    primary_account: np.ndarray,
    person_crm: pd.DataFrame,
    campaigns: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Opportunities from buying cycles (plus services add-ons after wins) and their contact roles."""
    cycles, persons = world.cycles, world.persons
    deal_cycles = cycles[cycles["has_opp"]]
    won_cycles = deal_cycles[deal_cycles["is_won"]]
    services = won_cycles[(rng.random(len(won_cycles)) < 0.2) & (won_cycles["close"] + 60 * DAY < END_TS)]
    k = len(deal_cycles)
    s = len(services)
    cycle_idx = np.concatenate([deal_cycles.index.to_numpy(), services.index.to_numpy()])
    company = cycles["company_idx"].to_numpy()[cycle_idx]
    created = np.concatenate(
        [deal_cycles["opp_created"].to_numpy(), services["close"].to_numpy() + rng.integers(14, 45, s) * DAY]
    )
    close = np.concatenate([deal_cycles["close"].to_numpy(), created[k:] + rng.integers(10, 40, s) * DAY])
    is_closed = np.concatenate([deal_cycles["is_closed"].to_numpy(), close[k:] < END_TS - DAY])
    is_won = np.concatenate([deal_cycles["is_won"].to_numpy(), is_closed[k:] & (rng.random(s) < 0.75)])
    opp_type = np.concatenate([deal_cycles["opp_type"].to_numpy(), np.full(s, "Services", dtype=object)])
    product = cycles["product_line"].to_numpy()[cycle_idx]
    employees = world.companies["employees"].to_numpy()[company]
    base = np.where(opp_type == "Services", 15_000, np.where(opp_type == "Expansion", 30_000, 60_000))
    amount = np.round(base * rng.lognormal(0, 0.5, k + s) * (1 + np.log10(employees + 10)) / 3, -2)
    stage = np.where(
        is_won, "Closed Won", np.where(is_closed, "Closed Lost", _pick(rng, vocab.OPEN_STAGES, k + s))
    )
    acc_pos = primary_account[company]
    camp_start = campaigns["_start"].to_numpy()
    camp = rng.integers(0, len(campaigns), k + s)
    camp_ok = (camp_start[camp] < created) & (rng.random(k + s) < 0.4)
    ids = sf_ids("opportunity", np.arange(k + s))
    names = pd.Series(world.companies["name"].to_numpy()[company]) + " - " + product + " - " + opp_type
    opps = pd.DataFrame(
        {
            "Id": ids,
            "AccountId": accounts["Id"].to_numpy()[acc_pos],
            "Name": names,
            "Type": opp_type,
            "Product_Line__c": product,
            "StageName": stage,
            "Amount": amount,
            "IsClosed": is_closed,
            "IsWon": is_won,
            "CloseDate": close,
            "LeadSource": _pick(rng, vocab.LEAD_SOURCES, k + s),
            "CampaignId": pd.Series(campaigns["Id"].to_numpy()[camp]).where(camp_ok, None),
            "OwnerId": accounts["OwnerId"].to_numpy()[acc_pos],
            "IsDeleted": False,
            "CreatedDate": created,
            "SystemModstamp": np.where(
                is_closed,
                np.minimum(close + DAY, END_TS - 60),
                _between(rng, created, np.full(k + s, END_TS)),
            ),
            "_cycle_idx": cycle_idx,
            "_company_idx": company,
        }
    )

    # Contact roles: every engaged member of a deal's cycle; services deals get the first one.
    eng = world.engagements
    opp_of_cycle = pd.Series(np.arange(k), index=deal_cycles.index.to_numpy())
    e = eng[eng["cycle_idx"].isin(opp_of_cycle.index)].copy()
    e["opp"] = opp_of_cycle.reindex(e["cycle_idx"]).to_numpy()
    role = persons["committee_role"].to_numpy()[e["person_idx"].to_numpy()]
    e["rank"] = (
        pd.Series(role)
        .map({"Decision Maker": 0, "Economic Buyer": 1, "Executive Sponsor": 2, "Technical Buyer": 3})
        .fillna(9)
        .to_numpy()
    )
    e = e.sort_values(["opp", "rank", "person_idx"], kind="stable").reset_index(drop=True)
    e["primary"] = ~e["opp"].duplicated()
    svc_first = e[e["primary"]].set_index("cycle_idx")
    svc = pd.DataFrame(
        {
            "opp": np.arange(k, k + s),
            "person_idx": svc_first["person_idx"].reindex(services.index.to_numpy()).to_numpy(),
            "primary": True,
        }
    ).dropna()
    roles = pd.concat([e[["opp", "person_idx", "primary"]], svc], ignore_index=True)
    roles["person_idx"] = roles["person_idx"].astype(np.int64)
    r = len(roles)
    r_created = created[roles["opp"].to_numpy()] + rng.integers(0, 5 * DAY, r)
    person_role = persons["committee_role"].to_numpy()[roles["person_idx"].to_numpy()]
    contact_roles = pd.DataFrame(
        {
            "Id": sf_ids("opportunity_contact_role", np.arange(r)),
            "OpportunityId": ids[roles["opp"].to_numpy()],
            "ContactId": person_crm["contact_id"].to_numpy()[roles["person_idx"].to_numpy()],
            "Role": pd.Series(person_role).map(vocab.OCR_ROLE).to_numpy(),
            "IsPrimary": roles["primary"].to_numpy().astype(bool),
            "IsDeleted": False,
            "CreatedDate": r_created,
            "SystemModstamp": _between(rng, r_created, np.full(r, END_TS)),
            "_person_idx": roles["person_idx"].to_numpy(),
        }
    )
    return opps, contact_roles


def build_crm(rng: np.random.Generator, world: World, preset: Preset, rates: MessRates) -> Crm:
    users = build_users(rng, preset.n_users)
    accounts, primary_account = build_accounts(rng, world, users, rates)
    leads, contacts, person_crm = build_people_records(rng, world, accounts, primary_account, users, rates)
    campaigns = build_campaigns(rng)
    opps, roles = build_deals(rng, world, accounts, primary_account, person_crm, campaigns)
    # A lead converted for a deal points at that deal.
    first_opp = opps[opps["Type"] != "Services"].groupby("_cycle_idx")["Id"].first()
    conv = leads["IsConverted"].to_numpy()
    pidx = leads["_person_idx"].to_numpy()
    eng = world.engagements.assign(
        opp_id=first_opp.reindex(world.engagements["cycle_idx"]).to_numpy()
    ).dropna()
    opp_created = world.cycles["opp_created"].to_numpy()[eng["cycle_idx"].to_numpy()]
    at_conv = eng[
        opp_created == person_crm["first_deal"].to_numpy()[eng["person_idx"].to_numpy()]
    ].drop_duplicates("person_idx")
    conv_opp = pd.Series(at_conv["opp_id"].to_numpy(), index=at_conv["person_idx"].to_numpy()).reindex(pidx)
    leads["ConvertedOpportunityId"] = pd.Series(conv_opp.to_numpy()).where(
        conv & conv_opp.notna().to_numpy(), None
    )
    return Crm(users, accounts, leads, contacts, campaigns, opps, roles, person_crm)
