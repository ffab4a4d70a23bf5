"""The sample-data generator, on the small preset: determinism, the landing contract, documented mess
rates measured from the written files, truth consistency, and the hidden rules showing in the data.

Expected values come from MessRates (the documented rates) and hand reasoning, with tolerances sized
for the small preset (about a thousand people: a rate's standard error is about 0.015).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from orchestration.contract import load_contract
from orchestration.generator import ACTIVITY_TYPES, MESS_RATES, PRESETS, TITLE_CATALOGUE, generate
from orchestration.generator.vocab import DEPARTMENTS, FORM_NAMES, PERSONAL_EMAIL_DOMAINS, SENIORITIES, SITE
from orchestration.naming import to_snake_case

TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    generate(preset="small", landing_dir=root / "landing", truth_dir=root / "truth", seed=42)
    return root


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _read_crm(out: Path, obj: str) -> list[dict[str, str]]:
    (path,) = (out / "landing" / "crm" / obj).glob("*.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _manifest(out: Path) -> dict:
    return json.loads((out / "truth" / "manifest.json").read_text())


def _malformed_ids(out: Path) -> set[str]:
    return {m["id"] for m in _manifest(out)["malformed_rows"]}


def _good(out: Path, obj: str) -> list[dict[str, str]]:
    bad = _malformed_ids(out)
    return [r for r in _read_crm(out, obj) if r["Id"] not in bad]


def _map(out: Path, obj: str) -> pd.DataFrame:
    (path,) = (out / "landing" / "map" / obj).glob("*.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _page_views(out: Path) -> pd.DataFrame:
    (path,) = (out / "landing" / "web" / "page_view").glob("*.jsonl")
    return pd.read_json(path, lines=True, dtype=False)


def _truth(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "truth" / name, dtype=str, keep_default_na=False)


# --- Determinism and shape


def test_same_seed_gives_identical_files_and_another_seed_differs(out: Path, tmp_path: Path) -> None:
    generate(
        preset="small", landing_dir=tmp_path / "a" / "landing", truth_dir=tmp_path / "a" / "truth", seed=42
    )
    generate(
        preset="small", landing_dir=tmp_path / "b" / "landing", truth_dir=tmp_path / "b" / "truth", seed=7
    )
    assert _hashes(tmp_path / "a") == _hashes(out)
    other = _hashes(tmp_path / "b")
    assert other.keys() == _hashes(out).keys()
    assert all(
        other[k] != v
        for k, v in _hashes(out).items()
        if "landing/crm/user" not in k and "campaign_2026" not in k
    )


def test_small_preset_size_is_a_demo(out: Path) -> None:
    rows = {k: v["rows"] for k, v in _manifest(out)["objects"].items()}
    assert 120 <= rows["crm/account"] <= 180
    persons = len(_truth(out, "person_records.csv"))
    assert 2_000 <= persons <= 3_000
    assert 50_000 <= rows["map/activity"] + rows["web/page_view"] + rows["crm/task"] <= 100_000
    assert set(PRESETS) == {"small", "medium", "large"}


def test_every_file_header_folds_onto_the_contract(out: Path) -> None:
    landing = out / "landing"
    for source in load_contract():
        files = sorted((landing / source.landing).glob("*"))
        assert files, f"no file for {source.landing}"
        for path in files:
            if path.suffix == ".jsonl":
                header = list(json.loads(path.open(encoding="utf-8").readline()))
            else:
                with path.open(encoding="utf-8-sig", newline="") as f:
                    header = next(csv.reader(f))
            folded = [to_snake_case(h) for h in header]
            contract = [c.name for c in source.columns]
            assert set(contract) <= set(folded), (path, set(contract) - set(folded))
            assert set(folded) - set(contract) <= {"description"}, path
            assert len(folded) == len(set(folded))


def test_crm_files_are_data_loader_style_and_marketo_files_lf(out: Path) -> None:
    for path in (out / "landing" / "crm").rglob("*.csv"):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path
        assert raw.count(b"\r\n") >= raw.count(b"\n") - raw.count(b'\n"') - 50, (
            path
        )  # CRLF ends (LF only inside quotes)
        assert raw.split(b"\r\n", 1)[0].startswith(b'\xef\xbb\xbf"Id"')
    for path in (out / "landing" / "map").rglob("*.csv"):
        assert b"\r\n" not in path.read_bytes()[:100_000]


def test_values_use_the_documented_formats(out: Path) -> None:
    leads = _good(out, "lead")
    assert all(TS.match(r["CreatedDate"]) and TS.match(r["SystemModstamp"]) for r in leads)
    assert {r["IsConverted"] for r in leads} == {"true", "false"}
    assert all(DATE.match(r["ConvertedDate"]) for r in leads if r["ConvertedDate"])
    assert all(len(r["Id"]) == 18 and r["Id"].startswith("00Q") for r in leads)
    prefixes = {
        "account": "001",
        "contact": "003",
        "opportunity": "006",
        "opportunity_contact_role": "00K",
        "campaign": "701",
        "campaign_member": "00v",
        "task": "00T",
        "user": "005",
        "mql_disposition": "a0M",
    }
    for obj, prefix in prefixes.items():
        rows = _read_crm(out, obj)
        ids = [r["Id"] for r in rows]
        assert len(ids) == len(set(ids)), obj
        assert all(len(i) == 18 and i.startswith(prefix) for i in ids), obj
    assert all(TS.match(v) for v in _map(out, "activity")["activityDate"].head(1000))


# --- Vocabularies


def test_titles_come_from_the_catalogue(out: Path) -> None:
    titles = {t for t, _, _ in TITLE_CATALOGUE}
    assert {d for _, d, _ in TITLE_CATALOGUE} == set(DEPARTMENTS)
    assert {s for _, _, s in TITLE_CATALOGUE} == set(SENIORITIES)
    seen = {r["Title"] for r in _good(out, "lead") + _good(out, "contact") if r["Title"]}
    seen |= {t for t in _map(out, "lead")["title"] if t}
    assert seen <= titles
    for title in ("CTO", "Chief Technology Officer", "VP Engineering", "Head of Data", "Student", "Intern"):
        assert title in titles


def test_activity_vocabulary(out: Path) -> None:
    activity = _map(out, "activity")
    pairs = set(zip(activity["activityTypeId"].astype(int), activity["activityTypeName"], strict=True))
    assert pairs <= set(ACTIVITY_TYPES.items())
    assert {1, 2, 6, 7, 10, 11, 32, 100001} <= {p[0] for p in pairs}
    forms = activity.loc[activity["activityTypeId"] == "2", "primaryAttributeValue"]
    assert set(forms) <= set(FORM_NAMES)
    visits = activity.loc[activity["activityTypeId"].isin(["1", "3"]), "primaryAttributeValue"]
    assert visits.str.startswith(SITE + "/").all()
    assert all(json.loads(a) for a in activity["attributes"].head(500))
    views = _page_views(out)
    assert (
        views["url"]
        .str.match(
            r"^https://www\.lumenary\.io/(pricing|integrations|product|blog|resources|docs|careers|demo)?"
        )
        .all()
    )
    assert views["url"].str.contains(r"\?utm_", regex=True).any()
    tasks = _good(out, "task")
    assert {r["Type"] for r in tasks} == {"Call", "Email", "Meeting"}
    assert any("\n" in r["Description"] for r in tasks) and any('"' in r["Description"] for r in tasks)
    assert {r["Status"] for r in _good(out, "campaign_member")} <= {
        "Sent",
        "Registered",
        "Attended",
        "No Show",
        "Responded",
    }


# --- Mess rates, measured from files and truth


@pytest.fixture(scope="module")
def records(out: Path) -> pd.DataFrame:
    """Person records joined to the true person and their kind and company."""
    persons = _truth(out, "persons.csv")
    pr = _truth(out, "person_records.csv")
    return pr.merge(persons[["true_person_key", "kind", "true_account_key"]], on="true_person_key")


def test_same_human_as_lead_and_contact_without_link(out: Path, records: pd.DataFrame) -> None:
    leads = {r["Id"]: r for r in _good(out, "lead")}
    contacts = {r["Id"]: r for r in _good(out, "contact")}
    accounts = _truth(out, "accounts.csv")
    with_account = set(accounts.loc[accounts["crm_account_ids"] != "", "true_account_key"])
    crm = records[records["source_system"] == "crm"]
    employees = records[
        records["kind"].isin(["employee", "researcher", "competitor"])
        & records["true_account_key"].isin(with_account)
    ]
    people = _truth(out, "persons.csv")
    denominator = people[
        people["kind"].isin(["employee", "researcher", "competitor"])
        & people["true_account_key"].isin(with_account)
    ]
    unlinked = 0
    for _, group in crm[crm["true_person_key"].isin(employees["true_person_key"])].groupby("true_person_key"):
        live_leads = [
            leads[i] for i in group["source_record_id"] if i in leads and leads[i]["IsDeleted"] == "false"
        ]
        live_contacts = {
            i for i in group["source_record_id"] if i in contacts and contacts[i]["IsDeleted"] == "false"
        }
        if (
            live_leads
            and live_contacts
            and not any(lead["ConvertedContactId"] in live_contacts for lead in live_leads)
        ):
            unlinked += 1
    share = unlinked / len(denominator)
    assert share == pytest.approx(MESS_RATES.crm_lead_and_contact_unlinked, abs=0.04)


def test_never_converted_leads_at_existing_accounts(out: Path, records: pd.DataFrame) -> None:
    accounts = _truth(out, "accounts.csv")
    with_account = set(accounts.loc[accounts["crm_account_ids"] != "", "true_account_key"])
    leads = pd.DataFrame(_good(out, "lead"))
    lead_records = records[(records["source_system"] == "crm") & (records["source_object"] == "lead")]
    joined = leads.merge(lead_records, left_on="Id", right_on="source_record_id")
    open_at_account = joined[
        (joined["IsConverted"] == "false") & joined["true_account_key"].isin(with_account)
    ]
    # crm_lead_only plus the unlinked lead-and-contact share of employees at accounts keep unconverted leads
    people = _truth(out, "persons.csv")
    employees_at_accounts = people[people["true_account_key"].isin(with_account)]
    share = open_at_account["true_person_key"].nunique() / len(employees_at_accounts)
    assert share > 0.25


def test_completeness_below_and_above_the_85_percent_threshold(out: Path) -> None:
    def filled(rows: list[dict[str, str]], col: str) -> float:
        return sum(1 for r in rows if r[col]) / len(rows)

    leads = [
        r
        for r in _good(out, "lead")
        if r["Company"] not in ("[not provided]", "Student", "Self", "n/a", "Freelance")
    ]
    assert filled(leads, "Industry") == pytest.approx(MESS_RATES.lead_industry_filled, abs=0.06)
    assert filled(leads, "Industry") < 0.85
    assert filled(_good(out, "contact"), "Department") == pytest.approx(
        MESS_RATES.contact_department_filled, abs=0.05
    )
    assert filled(_good(out, "account"), "Industry") > 0.85
    assert filled(_good(out, "contact"), "Title") > 0.85


def test_duplicate_leads_differ_only_by_case_and_whitespace(out: Path, records: pd.DataFrame) -> None:
    leads = {r["Id"]: r for r in _good(out, "lead")}
    lead_records = records[(records["source_system"] == "crm") & (records["source_object"] == "lead")]
    groups = [
        g["source_record_id"].tolist() for _, g in lead_records.groupby("true_person_key") if len(g) > 1
    ]
    persons_with_lead = lead_records["true_person_key"].nunique()
    assert len(groups) / persons_with_lead == pytest.approx(MESS_RATES.duplicate_lead_rate, abs=0.03)
    varied = 0
    for ids in groups:
        emails = [leads[i]["Email"] for i in ids if leads[i]["Email"]]
        assert len({e.strip().lower() for e in emails}) <= 1
        varied += len(set(emails)) > 1
    assert varied == len(groups) or varied >= 0.9 * len(groups)
    merged = [r for r in leads.values() if r["IsDeleted"] == "true"]
    assert merged and all(leads[r["MasterRecordId"]]["IsDeleted"] == "false" for r in merged)


def test_personal_emails_mail_subdomains_and_company_variants(out: Path, records: pd.DataFrame) -> None:
    people = _truth(out, "persons.csv")
    employees = people[people["kind"] == "employee"]
    personal = employees["email"].str.split("@").str[1].isin(PERSONAL_EMAIL_DOMAINS).mean()
    assert personal == pytest.approx(MESS_RATES.personal_email_employee_rate, abs=0.03)
    leads = _good(out, "lead")
    assert any("@mail." in r["Email"].lower() for r in leads)
    companies = {r["Company"] for r in leads}
    assert any(c.endswith(" Incorporated") for c in companies) and any(c.endswith(" corp") for c in companies)
    assert any(c.isupper() for c in companies)
    websites = {r["Website"] for r in leads if r["Website"]}
    assert any(w.startswith("https://www.") for w in websites) and any("/about" in w for w in websites)
    assert any(not w.startswith("http") and not w.startswith("www.") for w in websites)


def test_marketo_leads_linked_and_unlinked_and_merged(out: Path) -> None:
    leads = _map(out, "lead")
    linked = (leads["sfdcLeadId"] != "") | (leads["sfdcContactId"] != "")
    assert 0.4 < linked.mean() < 0.9
    activity = _map(out, "activity")
    merges = activity[activity["activityTypeId"] == "32"]
    assert len(merges) > 0
    assert set(merges["primaryAttributeValue"]) <= set(leads["id"])  # losers stay in the lead extract
    assert set(merges["leadId"]) <= set(leads["id"])


def test_two_accounts_share_a_domain(out: Path) -> None:
    accounts = _truth(out, "accounts.csv")
    assert (accounts["crm_account_ids"].str.count(";") >= 1).sum() >= 1


# --- Truth consistency and referential integrity


def test_every_person_record_is_in_truth_exactly_once(out: Path) -> None:
    pr = _truth(out, "person_records.csv")
    assert not pr.duplicated(["source_system", "source_object", "source_record_id"]).any()
    extracted = {
        ("crm", "lead"): {r["Id"] for r in _good(out, "lead")},
        ("crm", "contact"): {r["Id"] for r in _good(out, "contact")},
        ("map", "lead"): set(_map(out, "lead")["id"]),
    }
    views = _page_views(out)
    extracted[("web", "visitor")] = set(views.loc[views["email"].notna(), "visitor_id"])
    for (system, obj), ids in extracted.items():
        in_truth = set(
            pr.loc[(pr["source_system"] == system) & (pr["source_object"] == obj), "source_record_id"]
        )
        assert in_truth == ids, (system, obj)
    ar = _truth(out, "account_records.csv")
    assert set(ar.loc[ar["source_object"] == "account", "source_record_id"]) == {
        r["Id"] for r in _good(out, "account")
    }
    students = _truth(out, "persons.csv").query("kind == 'student'")
    assert (students["true_account_key"] == "").all()


def test_crm_referential_integrity(out: Path) -> None:
    ids = {
        obj: {r["Id"] for r in _read_crm(out, obj)}
        for obj in (
            "account",
            "contact",
            "lead",
            "opportunity",
            "campaign",
            "user",
            "opportunity_contact_role",
        )
    }
    checks = {
        "account": {"ParentId": "account", "OwnerId": "user", "MasterRecordId": "account"},
        "contact": {"AccountId": "account", "OwnerId": "user", "MasterRecordId": "contact"},
        "lead": {
            "ConvertedContactId": "contact",
            "ConvertedAccountId": "account",
            "ConvertedOpportunityId": "opportunity",
            "OwnerId": "user",
            "MasterRecordId": "lead",
        },
        "opportunity": {"AccountId": "account", "CampaignId": "campaign", "OwnerId": "user"},
        "opportunity_contact_role": {"OpportunityId": "opportunity", "ContactId": "contact"},
        "campaign_member": {"CampaignId": "campaign", "LeadId": "lead", "ContactId": "contact"},
        "task": {"OwnerId": "user", "AccountId": "account"},
        "mql_disposition": {"Lead__c": "lead", "Contact__c": "contact"},
    }
    for obj, fks in checks.items():
        for row in _good(out, obj):
            for col, target in fks.items():
                assert not row[col] or row[col] in ids[target], (obj, col, row[col])
    for row in _good(out, "task"):
        assert row["WhoId"] in ids["lead"] | ids["contact"]
        assert not row["WhatId"] or row["WhatId"] in ids["account"] | ids["opportunity"]
    assert all(r["ContactId"] or r["LeadId"] for r in _good(out, "campaign_member"))


def test_malformed_rows_are_listed_present_and_referenced_by_nothing(out: Path) -> None:
    manifest = _manifest(out)
    bad = manifest["malformed_rows"]
    by_object = defaultdict(set)
    for m in bad:
        by_object[m["object"]].add(m["defect"])
    assert set(by_object) == {
        "account",
        "contact",
        "lead",
        "opportunity",
        "opportunity_contact_role",
        "campaign",
        "campaign_member",
        "task",
        "user",
        "mql_disposition",
    }
    assert all({"unparsable_date", "broken_quoting", "too_many_fields"} <= d for d in by_object.values())
    assert {"non_integer_number"} <= by_object["account"] & by_object["lead"]
    bad_ids = {m["id"] for m in bad}
    everything = ""
    for obj in by_object:
        (path,) = (out / "landing" / "crm" / obj).glob("*.csv")
        text = path.read_text(encoding="utf-8-sig")
        everything += text
        for m in (m for m in bad if m["object"] == obj):
            assert text.count(m["id"]) == 1, m  # present once, and nowhere referenced in its own file
    for path in (out / "landing").rglob("*"):
        if path.is_file() and "crm" not in path.parts:
            assert not any(i in path.read_text(encoding="utf-8") for i in bad_ids)
    assert '"fifty"' in everything and '"31/02/2024"' in everything
    counts = Counter(everything.count(i) for i in bad_ids)
    assert counts == {1: len(bad_ids)}
    assert manifest["objects"]["crm/lead"]["rows"] == len(_read_crm(out, "lead"))


# --- Hidden rules


def test_ideal_profile_accounts_win_more(out: Path) -> None:
    accounts = _truth(out, "accounts.csv")
    acc_of = {i: row.segment for row in accounts.itertuples() for i in row.crm_account_ids.split(";") if i}
    opps = _good(out, "opportunity")
    won_accounts = {o["AccountId"] for o in opps if o["IsWon"] == "true"}
    seg = pd.Series(acc_of)
    won = seg.index.isin(list(won_accounts))
    rate_a = won[(seg == "A").to_numpy()].mean()
    rate_other = won[(seg != "A").to_numpy()].mean()
    assert rate_a > 2 * rate_other


def test_students_engage_but_never_buy(out: Path, records: pd.DataFrame) -> None:
    students = set(records.loc[records["kind"] == "student", "true_person_key"])
    student_map = set(
        records.loc[
            (records["source_system"] == "map") & records["true_person_key"].isin(students),
            "source_record_id",
        ]
    )
    activity = _map(out, "activity")
    assert activity["leadId"].isin(student_map).sum() > 20 * len(student_map) / 2
    student_contacts = set(
        records.loc[
            (records["source_object"] == "contact") & records["true_person_key"].isin(students),
            "source_record_id",
        ]
    )
    assert not {r["ContactId"] for r in _good(out, "opportunity_contact_role")} & student_contacts


def test_committee_engagement_before_deals(out: Path) -> None:
    cycles = _truth(out, "buying_cycles.csv")
    deals = cycles[cycles["opportunity_id"] != ""]
    assert (deals["n_engaged"].astype(int) >= 2).mean() > 0.5
    closed = deals[deals["is_closed"] == "True"]
    with_roles = closed[closed["key_roles_engaged"] == "True"]
    without = closed[closed["key_roles_engaged"] == "False"]
    assert (with_roles["is_won"] == "True").mean() > (without["is_won"] == "True").mean()
    pricing = _page_views(out)["url"].str.contains("/pricing")
    assert 0.02 < pricing.mean() < 0.4


def test_mql_dispositions_follow_the_truth(out: Path, records: pd.DataFrame) -> None:
    disp = pd.DataFrame(_good(out, "mql_disposition"))
    assert set(disp["Status__c"]) == {"Accepted", "Rejected"}
    assert set(disp.loc[disp["Status__c"] == "Rejected", "Rejection_Reason__c"]) <= {
        "Bad Fit",
        "Bad Timing",
        "Bad Data",
    }
    assert (disp.loc[disp["Status__c"] == "Accepted", "Rejection_Reason__c"] == "").all()
    who = disp["Lead__c"].where(disp["Lead__c"] != "", disp["Contact__c"])
    kind = who.map(records.drop_duplicates("source_record_id").set_index("source_record_id")["kind"])
    assert (
        disp.loc[kind.isin(["student", "hobbyist", "job_seeker"]).to_numpy(), "Status__c"] == "Rejected"
    ).all()
    assert kind.eq("student").any()
    assert (disp["MQL_Date__c"] <= disp["Disposition_Date__c"]).all()


def test_nothing_happens_after_the_extract_date(out: Path) -> None:
    extract = "2026-11-20T00:00:00.000Z"
    assert (_map(out, "activity")["activityDate"] < extract).all()
    assert (_page_views(out)["viewed_at"] < extract).all()
    for obj in ("account", "contact", "lead", "opportunity", "campaign_member", "task", "mql_disposition"):
        rows = _good(out, obj)
        assert all(r["CreatedDate"] < extract and r["SystemModstamp"] < extract for r in rows), obj
        assert all(r["CreatedDate"] <= r["SystemModstamp"] for r in rows), obj
    leads = _map(out, "lead")
    assert (leads["createdAt"] < extract).all() and (leads["updatedAt"] < extract).all()
