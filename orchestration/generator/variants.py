"""How people type things: company-name, website and email variants, vectorised over pandas Series.

These are the realistic spellings identity resolution has to see through; each function draws one
variant per row from the seeded generator, so the same seed always yields the same mess.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COMPANY_SUFFIXES = (" Inc.", " Incorporated", " corp", ", Inc.", " Ltd", " GmbH", " LLC")


def company_name_variants(rng: np.random.Generator, name: pd.Series, rate: float) -> pd.Series:
    """'Acme' → 'ACME Inc.', 'Acme Incorporated', 'acme corp', ... for a ``rate`` share of rows."""
    n = len(name)
    kind = rng.integers(0, 5, n)
    suffix = pd.Series(np.array(COMPANY_SUFFIXES, dtype=object)[rng.integers(0, len(COMPANY_SUFFIXES), n)])
    options = [
        name.str.upper() + " INC.",
        name + suffix,
        name.str.lower() + " corp",
        name + " Incorporated",
        name.str.lower(),
    ]
    out = name.copy()
    varied = rng.random(n) < rate
    for k, option in enumerate(options):
        out = out.where(~(varied & (kind == k)), option)
    return out


def website_variants(rng: np.random.Generator, domain: pd.Series, rate: float) -> pd.Series:
    """'acme.com' written as https://www.acme.com/ (the canonical form) or acme.com, http://acme.com/about..."""
    n = len(domain)
    kind = rng.integers(0, 5, n)
    options = [
        domain,
        "http://" + domain + "/about",
        "www." + domain,
        "https://" + domain,
        "HTTP://WWW." + domain.str.upper(),
    ]
    out = "https://www." + domain + "/"
    varied = rng.random(n) < rate
    for k, option in enumerate(options):
        out = out.where(~(varied & (kind == k)), option)
    return out


def mail_subdomain(
    rng: np.random.Generator, email: pd.Series, eligible: np.ndarray, rate: float
) -> pd.Series:
    """jane@acme.com → jane@mail.acme.com for a ``rate`` share of eligible (work) addresses."""
    hit = eligible & (rng.random(len(email)) < rate)
    return email.where(~hit, email.str.replace("@", "@mail.", n=1, regex=False))


def capitalise_email(email: pd.Series) -> pd.Series:
    """jane.doe@acme.com → Jane.Doe@Acme.com (a case-only variant)."""
    return email.str.title()


def case_variants(rng: np.random.Generator, email: pd.Series, rate: float) -> pd.Series:
    """Capitalise a ``rate`` share of addresses, as people type them into forms."""
    hit = (rng.random(len(email)) < rate) & email.notna().to_numpy()
    return email.where(~hit, capitalise_email(email))


def duplicate_email_variant(rng: np.random.Generator, email: pd.Series) -> pd.Series:
    """The address a duplicate record carries: the same one differing only by case and whitespace."""
    n = len(email)
    kind = rng.integers(0, 4, n)
    options = [
        "  " + capitalise_email(email) + " ",
        email.str.upper(),
        " " + email,
        capitalise_email(email) + "  ",
    ]
    out = email.copy()
    for k, option in enumerate(options):
        out = out.where(kind != k, option)
    return out
