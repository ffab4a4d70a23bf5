"""The hidden world: companies, the people who work there (or don't), and their buying cycles.

Nothing here is an extract: these are the latent facts (fit, committee roles, who engaged in which
purchase and why it was won or lost) that the extracts are later rendered from and that the truth
folder records. All draws are vectorised over companies, persons or (cycle, person) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.generator import vocab
from orchestration.generator.mess import MessRates
from orchestration.generator.presets import DAY, END_TS, START_TS, Preset

PERSONS_PER_COMPANY_BY_BAND = (2.0, 4.0, 7.0, 10.0, 14.0)
NON_EMPLOYEE_SHARE = 0.12  # students, hobbyists and job seekers among all persons
RESEARCHER_SHARE_AT_RESEARCH_ORGS = 0.35


@dataclass
class World:
    """The latent state: every table is indexed by position (company_idx, person_idx, cycle_idx)."""

    companies: pd.DataFrame
    persons: pd.DataFrame
    cycles: pd.DataFrame
    engagements: pd.DataFrame  # (cycle_idx, person_idx) of committee members engaged in a cycle


def _choice(rng: np.random.Generator, n: int, weights: tuple[float, ...] | list[float]) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _company_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique company names and the lowercase stems their domains are built from."""
    a, b, c, d = (
        np.array(vocab.COMPANY_WORDS_A),
        np.array(vocab.COMPANY_WORDS_B),
        np.array(vocab.COMPANY_WORDS_C),
        np.array(vocab.COMPANY_WORDS_D),
    )
    space = len(a) * len(b) * len(c) * len(d)
    if n > space:
        raise ValueError(f"at most {space} companies can be named, {n} requested")
    pick = rng.choice(space, size=n, replace=False)
    ia, rest = pick % len(a), pick // len(a)
    ib, rest = rest % len(b), rest // len(b)
    ic, idd = rest % len(c), rest // len(c)
    stem = pd.Series(a[ia]).str.cat(pd.Series(b[ib]))
    name = pd.Series(d[idd]).str.cat(stem, sep=" ").str.strip().str.cat(pd.Series(c[ic]), sep=" ").str.strip()
    domain_stem = name.str.lower().str.replace(" ", "", regex=False)
    return name.to_numpy(dtype=object), domain_stem.to_numpy(dtype=object)


def build_companies(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Companies with firmographics and their hidden ideal-customer-profile score."""
    industry = _choice(rng, n, vocab.INDUSTRY_FREQUENCY)
    country = _choice(rng, n, vocab.COUNTRY_FREQUENCY)
    band = _choice(rng, n, [b[3] for b in vocab.SIZE_BANDS])
    low = np.array([b[0] for b in vocab.SIZE_BANDS])[band]
    high = np.array([b[1] for b in vocab.SIZE_BANDS])[band]
    employees = np.exp(rng.uniform(np.log(low), np.log(high + 1))).astype(np.int64)
    revenue = np.round(employees * rng.lognormal(np.log(180_000), 0.5, n), -3)

    modernity = rng.beta(2, 3, n)
    tech_names = [t[0] for t in vocab.TECHNOLOGIES]
    is_modern = np.array([t[1] for t in vocab.TECHNOLOGIES])
    uses = rng.random((n, len(tech_names))) < np.where(is_modern, modernity[:, None] * 0.75, 0.28)
    tech_stack = pd.Series([""] * n, dtype=object)
    for j, tech in enumerate(tech_names):
        tech_stack = tech_stack.where(~uses[:, j], tech_stack + ";" + tech)
    tech_stack = tech_stack.str.lstrip(";").replace("", None)
    modern_count = (uses & is_modern).sum(axis=1)

    ind_fit = np.array([i[1] for i in vocab.INDUSTRIES])[industry]
    country_fit = np.array([c[1] for c in vocab.COUNTRIES])[country]
    size_fit = np.array([b[2] for b in vocab.SIZE_BANDS])[band]
    tech_fit = np.minimum(1.0, modern_count / 2.0)
    icp = 0.35 * ind_fit + 0.25 * size_fit + 0.2 * country_fit + 0.2 * tech_fit
    segment = np.select([icp >= 0.75, icp >= 0.55, icp >= 0.35], ["A", "B", "C"], "D")

    n_competitors = max(3, n // 200)
    is_competitor = np.zeros(n, dtype=bool)
    is_competitor[rng.choice(n, n_competitors, replace=False)] = True
    industry = np.where(is_competitor, 0, industry)

    name, domain_stem = _company_names(rng, n)
    tld = np.array([c[2] for c in vocab.COUNTRIES])[country]
    domain = pd.Series(domain_stem).str.cat(pd.Series(tld), sep=".")

    # A few subsidiaries: a child company points at a big parent (one level deep).
    parent_pool = np.flatnonzero((band >= 3) & ~is_competitor)
    parent_idx = np.full(n, -1, dtype=np.int64)
    if len(parent_pool):
        is_child = (rng.random(n) < 0.04) & ~is_competitor
        is_child[parent_pool] = False
        parent_idx[is_child] = rng.choice(parent_pool, int(is_child.sum()))

    return pd.DataFrame(
        {
            "company_key": pd.Series(np.arange(n)).map("C{:07d}".format),
            "name": name,
            "domain": domain,
            "industry": np.array([i[0] for i in vocab.INDUSTRIES])[industry],
            "employees": employees,
            "annual_revenue": revenue,
            "country": np.array([c[0] for c in vocab.COUNTRIES])[country],
            "tld": tld,
            "size_band": band,
            "tech_stack": tech_stack,
            "icp_score": np.round(icp, 4),
            "segment": segment,
            "is_competitor": is_competitor,
            "parent_idx": parent_idx,
        }
    )


def _titles(rng: np.random.Generator, department: np.ndarray, seniority: np.ndarray) -> np.ndarray:
    """A catalogue title for each (department, seniority); a missing combination falls back to VP."""
    catalogue = pd.DataFrame(vocab.TITLE_CATALOGUE, columns=["title", "department", "seniority"])
    combo = pd.Series(department) + "|" + pd.Series(seniority)
    codes, uniques = pd.factorize(combo)
    out = np.empty(len(department), dtype=object)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    for k, key in enumerate(uniques):
        dept, sen = key.split("|")
        titles = catalogue.loc[(catalogue["department"] == dept) & (catalogue["seniority"] == sen), "title"]
        rows = order[bounds[k] : bounds[k + 1]]
        if len(titles):
            out[rows] = titles.to_numpy()[rng.integers(0, len(titles), len(rows))]
    missing = pd.isna(out)
    if missing.any():
        # Executive titles are all C-Level; other gaps (no "COO of Operations") become VP.
        seniority[missing] = np.where(department[missing] == "Executive", "C-Level", "VP")
        return _titles(rng, department, seniority)
    return out


def _local_part(first: pd.Series, last: pd.Series, pattern: np.ndarray) -> pd.Series:
    f = first.str.lower().str.replace(r"[^a-z]", "", regex=True)
    last_clean = last.str.lower().str.replace(r"[^a-z]", "", regex=True)
    options = [f + "." + last_clean, f.str[0] + last_clean, f, f + "_" + last_clean]
    out = options[0].copy()
    for k in range(1, len(options)):
        out = out.where(pattern != k, options[k])
    return out


def _unique_email(local: pd.Series, domain: pd.Series) -> pd.Series:
    """Join local part and domain, numbering repeated addresses: two people never share an email."""
    email = local + "@" + domain
    counter = email.groupby(email).cumcount()
    return email.where(counter == 0, local + counter.astype(str) + "@" + domain)


def build_persons(rng: np.random.Generator, companies: pd.DataFrame, rates: MessRates) -> pd.DataFrame:
    """People: employees of each company (sorted by company), then students, hobbyists and job seekers."""
    mean = np.array(PERSONS_PER_COMPANY_BY_BAND)[companies["size_band"].to_numpy()]
    per_company = np.maximum(1, rng.poisson(mean * rng.lognormal(0, 0.35, len(companies))))
    company_idx = np.repeat(np.arange(len(companies)), per_company)
    n_emp = len(company_idx)
    n_non = round(n_emp * NON_EMPLOYEE_SHARE / (1 - NON_EMPLOYEE_SHARE))
    n = n_emp + n_non

    depts = list(vocab.DEPARTMENT_WEIGHTS)
    sens = list(vocab.SENIORITY_WEIGHTS)
    department = np.array(depts, dtype=object)[_choice(rng, n, list(vocab.DEPARTMENT_WEIGHTS.values()))]
    seniority = np.array(sens, dtype=object)[_choice(rng, n, list(vocab.SENIORITY_WEIGHTS.values()))]

    kind = np.full(n, "employee", dtype=object)
    comp_industry = companies["industry"].to_numpy()[company_idx]
    kind[:n_emp][companies["is_competitor"].to_numpy()[company_idx]] = "competitor"
    research = np.isin(comp_industry, vocab.RESEARCH_INDUSTRIES) & (
        rng.random(n_emp) < RESEARCHER_SHARE_AT_RESEARCH_ORGS
    )
    kind[:n_emp][research & (kind[:n_emp] == "employee")] = "researcher"
    kind[n_emp:] = np.array(["student", "hobbyist", "job_seeker"], dtype=object)[
        _choice(rng, n_non, (0.6, 0.2, 0.2))
    ]
    is_student = kind == "student"
    department[is_student] = "Education"
    seniority[is_student] = "Student"
    non_emp = np.arange(n) >= n_emp
    seniority[non_emp & ~is_student] = np.where(
        rng.random(int((non_emp & ~is_student).sum())) < 0.8, sens[4], sens[3]
    )
    title = _titles(rng, department, seniority)
    role_of = {f"{d}|{s}": vocab.committee_role(d, s) for d in vocab.DEPARTMENTS for s in vocab.SENIORITIES}
    role = (pd.Series(department) + "|" + pd.Series(seniority)).map(role_of).to_numpy(dtype=object)
    role[kind != "employee"] = "None"

    first = pd.Series(np.array(vocab.FIRST_NAMES, dtype=object)[rng.integers(0, len(vocab.FIRST_NAMES), n)])
    last = pd.Series(np.array(vocab.LAST_NAMES, dtype=object)[rng.integers(0, len(vocab.LAST_NAMES), n)])
    full_company_idx = np.concatenate([company_idx, np.full(n_non, -1)])
    domain = pd.Series(companies["domain"].to_numpy()[np.maximum(full_company_idx, 0)])
    work_local = _local_part(first, last, rng.integers(0, 4, n))
    personal_local = _local_part(first, last, np.zeros(n, dtype=int)) + pd.Series(
        rng.integers(1, 999, n)
    ).astype(str)
    personal_domain = pd.Series(
        np.array(vocab.PERSONAL_EMAIL_DOMAINS, dtype=object)[
            rng.integers(0, len(vocab.PERSONAL_EMAIL_DOMAINS), n)
        ]
    )
    uses_personal = non_emp | (rng.random(n) < rates.personal_email_employee_rate)
    email = _unique_email(
        work_local.where(~uses_personal, personal_local), domain.where(~uses_personal, personal_domain)
    )

    first_seen = START_TS - 365 * DAY + (rng.random(n) * (365 + 730 - 3) * DAY).astype(np.int64)
    return pd.DataFrame(
        {
            "person_key": pd.Series(np.arange(n)).map("P{:08d}".format),
            "company_idx": full_company_idx,
            "kind": kind,
            "first_name": first,
            "last_name": last,
            "title": title,
            "department": department,
            "seniority": seniority,
            "committee_role": role,
            "is_student": is_student,
            "email": email,
            "uses_personal_email": uses_personal,
            "first_seen": first_seen,
            "activity_level": rng.lognormal(0, 0.6, n),
        }
    )


def build_cycles(
    rng: np.random.Generator, companies: pd.DataFrame, persons: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Buying cycles (ideal-profile companies enter them more often) and who engaged in each."""
    icp = companies["icp_score"].to_numpy()
    lam = np.where(companies["is_competitor"].to_numpy(), 0.0, 0.03 + 1.6 * icp**2.5)
    n_cycles = rng.poisson(lam)
    company_idx = np.repeat(np.arange(len(companies)), n_cycles)
    m = len(company_idx)
    start = START_TS + 14 * DAY + (rng.random(m) * (730 - 40) * DAY).astype(np.int64)
    order = np.lexsort((start, company_idx))
    company_idx, start = company_idx[order], start[order]
    lead_days = rng.integers(21, 61, m)
    opp_created = start + lead_days * DAY + rng.integers(9 * 3600, 18 * 3600, m)
    has_opp = (rng.random(m) < 0.85) & (opp_created < END_TS - DAY)
    intensity = np.clip(rng.beta(3, 2, m) * 1.6, 0.2, 1.6)

    # (cycle, person-at-the-company) pairs: each committee member engages with a role-dependent chance.
    emp = persons[persons["company_idx"] >= 0]
    comp_start = np.searchsorted(emp["company_idx"].to_numpy(), np.arange(len(companies)), side="left")
    comp_count = np.bincount(emp["company_idx"].to_numpy(), minlength=len(companies))
    pair_cycle = np.repeat(np.arange(m), comp_count[company_idx])
    offsets = np.arange(len(pair_cycle)) - np.repeat(
        np.cumsum(comp_count[company_idx]) - comp_count[company_idx], comp_count[company_idx]
    )
    pair_person = comp_start[company_idx][pair_cycle] + offsets
    roles = persons["committee_role"].to_numpy()[pair_person]
    kinds = persons["kind"].to_numpy()[pair_person]
    p = pd.Series(roles).map(vocab.ENGAGE_PROBABILITY).to_numpy() * intensity[pair_cycle]
    p = np.where(kinds == "employee", p, 0.0)
    draw = rng.random(len(pair_cycle))
    engaged = draw < p
    # Every cycle has at least one engaged person: the likeliest one.
    score = pd.Series(p * (1 - draw) + 1e-9 * (kinds == "employee"))
    best = score.groupby(pair_cycle).idxmax().to_numpy()
    no_one = np.bincount(pair_cycle[engaged], minlength=m) == 0
    engaged[best[no_one]] = True
    engagements = pd.DataFrame({"cycle_idx": pair_cycle[engaged], "person_idx": pair_person[engaged]})
    engaged_roles = pd.Series(roles[engaged])

    def has(role_set: tuple[str, ...]) -> np.ndarray:
        hit = engaged_roles.isin(role_set).to_numpy()
        return np.bincount(engagements["cycle_idx"].to_numpy()[hit], minlength=m) > 0

    # The deal needs someone who can sign and someone who vouches for it technically.
    key_roles = has(("Economic Buyer", "Executive Sponsor", "Decision Maker")) & has(
        ("Technical Buyer", "Decision Maker", "Evaluator")
    )
    key_roles &= np.bincount(engagements["cycle_idx"].to_numpy(), minlength=m) >= 2
    win_p = (0.2 + 0.6 * icp[company_idx]) * np.where(key_roles, 1.0, 0.35)
    close = opp_created + rng.integers(20, 121, m) * DAY
    is_closed = has_opp & (close < END_TS - DAY)
    is_won = is_closed & (rng.random(m) < win_p)
    # Expansion once the company has won before (in cycle order), else new business.
    won_before = pd.Series(is_won.astype(int)).groupby(company_idx).cumsum().to_numpy() - is_won
    opp_type = np.where(won_before > 0, "Expansion", "New Business")

    cycles = pd.DataFrame(
        {
            "cycle_key": pd.Series(np.arange(m)).map("BC{:07d}".format),
            "company_idx": company_idx,
            "start": start,
            "opp_created": opp_created,
            "has_opp": has_opp,
            "close": close,
            "is_closed": is_closed,
            "is_won": is_won,
            "key_roles_engaged": key_roles,
            "n_engaged": np.bincount(engagements["cycle_idx"].to_numpy(), minlength=m),
            "opp_type": opp_type,
            "product_line": np.array(vocab.PRODUCT_LINES)[_choice(rng, m, (0.6, 0.2, 0.2))],
        }
    )
    engagements = engagements.sort_values(["person_idx", "cycle_idx"], kind="stable").reset_index(drop=True)
    return cycles, engagements


def build_world(rng: np.random.Generator, preset: Preset, rates: MessRates) -> World:
    companies = build_companies(rng, preset.n_companies)
    persons = build_persons(rng, companies, rates)
    cycles, engagements = build_cycles(rng, companies, persons)
    return World(companies, persons, cycles, engagements)
