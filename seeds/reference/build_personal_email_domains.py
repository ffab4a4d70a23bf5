"""Build ``personal_email_domains.csv``: email domains that never identify a company.

A free-webmail address (gmail.com) or a throwaway one (mailinator.com) says nothing about the
employer, so identity resolution must never create or match an account on these domains. The
lists are third-party and updated upstream; this script turns them into the seed so that a
refresh is one command::

    python seeds/reference/build_personal_email_domains.py \
        --free /path/to/free_email_domains.json \
        --disposable /path/to/disposable_email_domains.txt

Sources (copied to the shared data folder, licences in ``LICENSES/`` beside this file):

- github.com/Kikobeats/free-email-domains, commit 55f8fd91d1d176e2983150c3978fdd7ed7c9ccb8 (MIT),
  a JSON array of free and disposable domains;
- github.com/disposable-email-domains/disposable-email-domains, commit
  a6458931ee3eee7fbacc867bd43133be0bca6c30 (CC0-1.0), one disposable domain a line.

A domain in both lists is ``disposable`` (the stronger signal for the fit score's bad-data rule);
the rest of the free list is ``free``. The warehouse folds mail hosts onto their domain
(``mail.austria.com`` -> ``austria.com``, macro ``normalize_domain``), so each listed mail host also
lists its folded domain with the same kind; otherwise an address at a free provider's mail host
would normalise to a domain that is not on the list and found an account. Domains are lower-cased,
trimmed, deduplicated and sorted so that a rebuild from the same inputs gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "personal_email_domains.csv"

# Mirrors the www. and mail-host folding of dbt_project/macros/normalize_domain.sql; the dbt test
# `assert_personal_email_domains_closed_under_normalisation` fails if the two drift apart.
_WWW = re.compile(r"^www[0-9]*\.")
_MAIL_HOST = re.compile(r"^(mail|email|e-mail|mx|smtp|webmail)\.")
_NOT_REGISTRABLE_ALONE = {"co", "com", "org", "net", "ac", "gov", "edu"}


def _clean(domain: str) -> str:
    return domain.strip().strip(".").lower()


def fold_mail_host(domain: str) -> str:
    """The domain the warehouse normalises a host to (``www.`` and mail hosts folded).

    >>> [fold_mail_host(d) for d in ("www.mail.austria.com", "mail.com", "mx.mail.co.uk")]
    ['austria.com', 'mail.com', 'mail.co.uk']
    """
    host = _WWW.sub("", domain)
    folded = _MAIL_HOST.sub("", host)
    if "." in folded and folded.split(".")[0] not in _NOT_REGISTRABLE_ALONE:
        return folded
    return host


def read_free_domains(path: Path) -> set[str]:
    """The free-webmail list: a JSON array of domain strings."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, list):
        raise ValueError(f"{path}: expected a JSON array of domains, got {type(document).__name__}")
    return {_clean(d) for d in document if isinstance(d, str) and _clean(d)}


def read_disposable_domains(path: Path) -> set[str]:
    """The disposable list: one domain a line; blank lines and '#' comments are skipped."""
    domains = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        domain = _clean(line)
        if domain and not domain.startswith("#"):
            domains.add(domain)
    return domains


def build_rows(free: set[str], disposable: set[str]) -> list[tuple[str, str]]:
    """One (domain, kind) row per domain, disposable winning over free, sorted by domain.

    >>> for row in build_rows({"gmail.com", "mailinator.com", "mail.goo.ne.jp"}, {"mailinator.com"}):
    ...     print(*row)
    gmail.com free
    goo.ne.jp free
    mail.goo.ne.jp free
    mailinator.com disposable
    """
    kinds: dict[str, str] = {}
    for kind, domains in (("free", free), ("disposable", disposable)):
        for domain in domains:
            kinds[domain] = kind
    # A folded mail host inherits the kind of its host unless the domain is listed itself;
    # repeat until nothing folds further (mail.mx.example.com -> mx.example.com -> example.com).
    pending = list(kinds.items())
    while pending:
        domain, kind = pending.pop()
        folded = fold_mail_host(domain)
        if folded not in kinds:
            kinds[folded] = kind
            pending.append((folded, kind))
    return sorted(kinds.items())


def write_seed(rows: list[tuple[str, str]], output: Path) -> None:
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["domain", "kind"])
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--free", type=Path, required=True, help="free_email_domains.json (JSON array)")
    parser.add_argument(
        "--disposable", type=Path, required=True, help="disposable_email_domains.txt (one a line)"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    rows = build_rows(read_free_domains(args.free), read_disposable_domains(args.disposable))
    write_seed(rows, args.output)
    disposable = sum(1 for _, kind in rows if kind == "disposable")
    print(f"wrote {len(rows)} domains to {args.output}: {disposable} disposable, the rest free")


if __name__ == "__main__":
    main()
