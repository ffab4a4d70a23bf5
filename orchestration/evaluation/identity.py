"""Identity resolution measured against the generator's ground truth.

Reads the identity marts (``marts.bridge_person_records``, ``marts.bridge_account_records``,
``marts.dim_accounts``), the seed ``reference.personal_email_domains`` and the truth views of
``orchestration.evaluation.truth``. Everything is computed in DuckDB with aggregations over the
record keys: no per-record Python and no all-pairs join (pair counts come from the contingency
table, ``C(n, 2) = n (n - 1) / 2`` per cell), so the large preset's 2.4M records take seconds.

Records are matched on (source_system, source_object, source_record_id). Clustering and account
metrics are computed over the records present in both the bridge and the truth; the records
present in only one of them are counted separately, per source object.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.evaluation import truth
from orchestration.evaluation.timing import RebuildTiming

BRIDGE_PERSON_RECORDS = "marts.bridge_person_records"
BRIDGE_ACCOUNT_RECORDS = "marts.bridge_account_records"
DIM_ACCOUNTS = "marts.dim_accounts"
PERSONAL_EMAIL_DOMAINS = "reference.personal_email_domains"

REQUIRED_COLUMNS = {
    BRIDGE_PERSON_RECORDS: ("source_system", "source_object", "source_record_id", "person_id"),
    BRIDGE_ACCOUNT_RECORDS: ("source_system", "source_object", "source_record_id", "account_id"),
    DIM_ACCOUNTS: ("account_id", "primary_domain"),
    PERSONAL_EMAIL_DOMAINS: ("domain",),
}

FREE_MAIL_EXAMPLES = 10


class MissingRelationError(RuntimeError):
    """A mart or seed the evaluation reads does not exist (or lacks a column)."""


@dataclass(frozen=True)
class RecordCoverage:
    """Records of one source object: matched in both, only in the truth, only in the bridge."""

    source_system: str
    source_object: str
    in_both: int
    truth_only: int
    bridge_only: int


@dataclass(frozen=True)
class PersonClustering:
    """Pairwise precision and recall of the person clustering over the records in both."""

    records_compared: int
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int
    precision: float
    recall: float
    predicted_persons: int
    true_persons: int
    truth_only_records: int
    bridge_only_records: int
    duplicate_bridge_records: int
    coverage: tuple[RecordCoverage, ...]


@dataclass(frozen=True)
class AccountAssignment:
    """Share of person records whose assigned account maps to their true account."""

    business_email_records: int
    business_email_correct: int
    business_email_share: float | None
    true_account_records: int
    true_account_correct: int
    true_account_share: float | None
    unassigned_business_email_records: int
    predicted_accounts: int
    mapped_by_crm_account: int
    mapped_by_person_majority: int
    unmapped_accounts: int
    split_true_accounts: int
    truth_only_records: int
    bridge_only_records: int


@dataclass(frozen=True)
class WrongMerges:
    """Predicted persons that hold records of more than one true person, or of more than one true account."""

    persons_across_true_persons: int
    persons_across_true_accounts: int
    records_in_cross_account_persons: int


@dataclass(frozen=True)
class FreeMailDomains:
    """Accounts whose primary domain is a free or disposable email domain (target: none)."""

    accounts: int
    examples: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class IdentityEvaluation:
    preset: str
    seed: int | None
    persons: PersonClustering
    accounts: AccountAssignment
    merges: WrongMerges
    free_mail: FreeMailDomains
    timing: RebuildTiming | None = None


def ratio(numerator: int, denominator: int) -> float:
    """Pairwise precision / recall: 1.0 when there is nothing to get wrong (denominator 0)."""
    return 1.0 if denominator == 0 else numerator / denominator


def share(numerator: int, denominator: int) -> float | None:
    """A share of records; None when there are no records to judge."""
    return None if denominator == 0 else numerator / denominator


def check_relations(con: duckdb.DuckDBPyConnection) -> None:
    """Fail with the missing mart or column named, before any metric query does so cryptically."""
    rows = con.execute(
        "select table_schema || '.' || table_name, column_name from information_schema.columns"
    ).fetchall()
    columns: dict[str, set[str]] = {}
    for relation, column in rows:
        columns.setdefault(relation.lower(), set()).add(column.lower())
    problems = []
    for relation, required in REQUIRED_COLUMNS.items():
        if relation not in columns:
            problems.append(f"{relation} does not exist")
            continue
        missing = [column for column in required if column not in columns[relation]]
        if missing:
            problems.append(f"{relation} lacks column(s) {', '.join(missing)}")
    if problems:
        raise MissingRelationError(
            "cannot evaluate identity resolution: "
            + "; ".join(problems)
            + " (build the identity models first: `mqa run`)"
        )


# --- SQL building blocks: CTE bodies shared by the metric queries ---------------------------------

# One row per person record key in the bridge. A key listed twice keeps its smallest person_id (and is
# counted as a duplicate); a record without a person_id is a person of its own.
_PERSON_BRIDGE = f"""
    person_bridge as (
        select
            source_system,
            source_object,
            source_record_id,
            coalesce(
                min(person_id),
                'unresolved:' || source_system || '/' || source_object || '/' || source_record_id
            ) as person_id,
            count(*) as bridge_rows
        from (
            select
                cast(source_system as varchar) as source_system,
                cast(source_object as varchar) as source_object,
                cast(source_record_id as varchar) as source_record_id,
                cast(person_id as varchar) as person_id
            from {BRIDGE_PERSON_RECORDS}
        ) as bridge
        group by source_system, source_object, source_record_id
    )"""

_PERSON_TRUTH = f"""
    person_truth as (
        select
            source_system,
            source_object,
            source_record_id,
            coalesce(
                min(true_person_key),
                'unknown:' || source_system || '/' || source_object || '/' || source_record_id
            ) as true_person_key
        from {truth.PERSON_RECORDS}
        group by source_system, source_object, source_record_id
    )"""

_PERSON_MATCHED = """
    person_matched as (
        select b.person_id, t.true_person_key
        from person_bridge as b
        inner join person_truth as t
            on b.source_system = t.source_system
            and b.source_object = t.source_object
            and b.source_record_id = t.source_record_id
    )"""

_ACCOUNT_BRIDGE = f"""
    account_bridge as (
        select source_system, source_object, source_record_id, min(account_id) as account_id
        from (
            select
                cast(source_system as varchar) as source_system,
                cast(source_object as varchar) as source_object,
                cast(source_record_id as varchar) as source_record_id,
                cast(account_id as varchar) as account_id
            from {BRIDGE_ACCOUNT_RECORDS}
        ) as bridge
        group by source_system, source_object, source_record_id
    )"""

_ACCOUNT_TRUTH = f"""
    account_truth as (
        select source_system, source_object, source_record_id, min(true_account_key) as true_account_key
        from {truth.ACCOUNT_RECORDS}
        group by source_system, source_object, source_record_id
    )"""

_ACCOUNT_MATCHED = """
    account_matched as (
        select
            b.source_system,
            b.source_object,
            b.source_record_id,
            b.account_id,
            t.true_account_key,
            (b.source_system = 'crm' and b.source_object = 'account') as is_crm_account
        from account_bridge as b
        inner join account_truth as t
            on b.source_system = t.source_system
            and b.source_object = t.source_object
            and b.source_record_id = t.source_record_id
    )"""

# Each predicted account's true key: the majority vote of the CRM account records it holds; an
# account holding no CRM account record takes the majority of its person records' true accounts.
# Ties go to the smallest true key, so the mapping is deterministic.
_ACCOUNT_MAP = """
    account_votes as (
        select account_id, true_account_key, is_crm_account, count(*) as votes
        from account_matched
        where account_id is not null and true_account_key is not null
        group by all
    ),

    account_map as (
        select
            account_id,
            true_account_key,
            case when is_crm_account then 'crm_account' else 'person_majority' end as basis
        from account_votes
        qualify row_number() over (
            partition by account_id order by is_crm_account desc, votes desc, true_account_key
        ) = 1
    )"""

_PAIRS = "coalesce(sum(n * (n - 1) // 2), 0)"


def _with(*ctes: str) -> str:
    return "with " + ",\n".join(ctes)


# --- the metrics ----------------------------------------------------------------------------------


def person_clustering(con: duckdb.DuckDBPyConnection) -> PersonClustering:
    """Pairwise precision and recall of person_id against true_person_key, plus record coverage."""
    cells_sql = f"""
        {_with(_PERSON_BRIDGE, _PERSON_TRUTH, _PERSON_MATCHED)},
        cells as (select count(*) as n from person_matched group by person_id, true_person_key),
        predicted as (select count(*) as n from person_matched group by person_id),
        actual as (select count(*) as n from person_matched group by true_person_key)
        select
            (select count(*) from person_matched),
            (select {_PAIRS} from cells),
            (select {_PAIRS} from predicted),
            (select {_PAIRS} from actual),
            (select count(*) from predicted),
            (select count(*) from actual),
            (select count(*) from person_bridge where bridge_rows > 1)
    """
    matched, tp, predicted_pairs, true_pairs, predicted_persons, true_persons, duplicates = con.execute(
        cells_sql
    ).fetchall()[0]
    coverage_sql = f"""
        {_with(_PERSON_BRIDGE, _PERSON_TRUTH)}
        select
            coalesce(b.source_system, t.source_system) as source_system,
            coalesce(b.source_object, t.source_object) as source_object,
            count(*) filter (where b.source_record_id is not null and t.source_record_id is not null),
            count(*) filter (where b.source_record_id is null),
            count(*) filter (where t.source_record_id is null)
        from person_bridge as b
        full outer join person_truth as t
            on b.source_system = t.source_system
            and b.source_object = t.source_object
            and b.source_record_id = t.source_record_id
        group by all
        order by source_system, source_object
    """
    coverage = tuple(RecordCoverage(*row) for row in con.execute(coverage_sql).fetchall())
    return PersonClustering(
        records_compared=int(matched),
        true_positive_pairs=int(tp),
        predicted_pairs=int(predicted_pairs),
        true_pairs=int(true_pairs),
        precision=ratio(int(tp), int(predicted_pairs)),
        recall=ratio(int(tp), int(true_pairs)),
        predicted_persons=int(predicted_persons),
        true_persons=int(true_persons),
        truth_only_records=sum(c.truth_only for c in coverage),
        bridge_only_records=sum(c.bridge_only for c in coverage),
        duplicate_bridge_records=int(duplicates),
        coverage=coverage,
    )


def account_mapping(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(account_id, true_account_key, basis) for every predicted account that maps to a true one."""
    sql = f"""
        {_with(_ACCOUNT_BRIDGE, _ACCOUNT_TRUTH, _ACCOUNT_MATCHED, _ACCOUNT_MAP)}
        select account_id, true_account_key, basis from account_map order by account_id
    """
    return [tuple(row) for row in con.execute(sql).fetchall()]


def account_assignment(con: duckdb.DuckDBPyConnection) -> AccountAssignment:
    """How many person records landed on the right account (business-email ones, then all)."""
    sql = f"""
        {_with(_ACCOUNT_BRIDGE, _ACCOUNT_TRUTH, _ACCOUNT_MATCHED, _ACCOUNT_MAP)},

        personal_domains as (
            select distinct rtrim(lower(trim(domain)), '.') as domain
            from {PERSONAL_EMAIL_DOMAINS}
            where domain is not null
        ),

        record_person as (
            select
                r.source_system,
                r.source_object,
                r.source_record_id,
                min(p.email) as email
            from {truth.PERSON_RECORDS} as r
            inner join {truth.PERSONS} as p on r.true_person_key = p.true_person_key
            group by all
        ),

        judged as (
            select
                m.account_id,
                m.true_account_key,
                m.true_account_key is not null
                and rp.email like '%_@_%'
                and pd.domain is null as business_email,
                coalesce(am.true_account_key = m.true_account_key, false) as correct
            from account_matched as m
            left join record_person as rp
                on m.source_system = rp.source_system
                and m.source_object = rp.source_object
                and m.source_record_id = rp.source_record_id
            left join personal_domains as pd
                on pd.domain = rtrim(split_part(rp.email, '@', 2), '.')
            left join account_map as am on m.account_id = am.account_id
            where not m.is_crm_account
        ),

        predicted_accounts as (
            select distinct account_id from account_bridge where account_id is not null
        )

        select
            (select count(*) filter (where business_email) from judged),
            (select count(*) filter (where business_email and correct) from judged),
            (select count(*) filter (where true_account_key is not null) from judged),
            (select count(*) filter (where true_account_key is not null and correct) from judged),
            (select count(*) filter (where business_email and account_id is null) from judged),
            (select count(*) from predicted_accounts),
            (select count(*) filter (where basis = 'crm_account') from account_map),
            (select count(*) filter (where basis = 'person_majority') from account_map),
            (
                select count(*) from (
                    select true_account_key from account_map group by true_account_key having count(*) > 1
                )
            ),
            (
                select count(*) from account_truth as t
                anti join account_bridge as b
                    on b.source_system = t.source_system
                    and b.source_object = t.source_object
                    and b.source_record_id = t.source_record_id
            ),
            (
                select count(*) from account_bridge as b
                anti join account_truth as t
                    on b.source_system = t.source_system
                    and b.source_object = t.source_object
                    and b.source_record_id = t.source_record_id
            )
    """
    (
        business,
        business_correct,
        with_account,
        with_account_correct,
        unassigned,
        predicted,
        by_crm,
        by_persons,
        split,
        truth_only,
        bridge_only,
    ) = (int(value) for value in con.execute(sql).fetchall()[0])
    return AccountAssignment(
        business_email_records=business,
        business_email_correct=business_correct,
        business_email_share=share(business_correct, business),
        true_account_records=with_account,
        true_account_correct=with_account_correct,
        true_account_share=share(with_account_correct, with_account),
        unassigned_business_email_records=unassigned,
        predicted_accounts=predicted,
        mapped_by_crm_account=by_crm,
        mapped_by_person_majority=by_persons,
        unmapped_accounts=predicted - by_crm - by_persons,
        split_true_accounts=split,
        truth_only_records=truth_only,
        bridge_only_records=bridge_only,
    )


def wrong_merges(con: duckdb.DuckDBPyConnection) -> WrongMerges:
    """Predicted persons spanning several true persons, and several true accounts.

    A true person without a company (student, hobbyist, job seeker) has no true account, so a
    merge of such a person with an employee counts across persons but not across accounts.
    """
    sql = f"""
        {_with(_PERSON_BRIDGE, _PERSON_TRUTH, _PERSON_MATCHED)},
        per_person as (
            select
                m.person_id,
                count(distinct m.true_person_key) as true_persons,
                count(distinct p.true_account_key) as true_accounts,
                count(*) as records
            from person_matched as m
            left join {truth.PERSONS} as p on m.true_person_key = p.true_person_key
            group by m.person_id
        )
        select
            count(*) filter (where true_persons > 1),
            count(*) filter (where true_accounts > 1),
            coalesce(sum(records) filter (where true_accounts > 1), 0)
        from per_person
    """
    across_persons, across_accounts, records = con.execute(sql).fetchall()[0]
    return WrongMerges(
        persons_across_true_persons=int(across_persons),
        persons_across_true_accounts=int(across_accounts),
        records_in_cross_account_persons=int(records),
    )


def free_mail_domains(con: duckdb.DuckDBPyConnection) -> FreeMailDomains:
    """Accounts whose primary domain is on the free / disposable email domain list."""
    sql = f"""
        with personal_domains as (
            select distinct rtrim(lower(trim(domain)), '.') as domain
            from {PERSONAL_EMAIL_DOMAINS}
            where domain is not null
        )
        select pd.domain, count(*) as accounts
        from {DIM_ACCOUNTS} as a
        inner join personal_domains as pd on pd.domain = rtrim(lower(trim(a.primary_domain)), '.')
        group by pd.domain
        order by accounts desc, pd.domain
    """
    rows = [(str(domain), int(n)) for domain, n in con.execute(sql).fetchall()]
    return FreeMailDomains(accounts=sum(n for _, n in rows), examples=tuple(rows[:FREE_MAIL_EXAMPLES]))


def evaluate_identity(
    con: duckdb.DuckDBPyConnection, truth_dir: Path, timing: RebuildTiming | None = None
) -> IdentityEvaluation:
    """Attach the truth in ``truth_dir`` to ``con`` and compute every identity metric."""
    check_relations(con)
    manifest = truth.read_manifest(truth_dir)
    truth.attach_truth(con, truth_dir)
    return IdentityEvaluation(
        preset=manifest.preset,
        seed=manifest.seed,
        persons=person_clustering(con),
        accounts=account_assignment(con),
        merges=wrong_merges(con),
        free_mail=free_mail_domains(con),
        timing=timing,
    )
