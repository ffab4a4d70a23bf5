"""Account mapping (majority, tie-break, fallback), account assignment with the business-email filter,
and free-mail domains used as account domains, on hand-made worlds."""

from __future__ import annotations

import pytest

from orchestration.evaluation.identity import account_assignment, account_mapping, free_mail_domains

from .worlds import HandWorld, account, lead


def mapping_world() -> HandWorld:
    world = HandWorld(
        persons={
            "p4a": ("C4", "p4a@four.example"),
            "p4b": ("C4", "p4b@four.example"),
            "p5": ("C5", "p5@five.example"),
            "p7a": ("C7", "p7a@seven.example"),
            "p7b": ("C7", "p7b@seven.example"),
            "p7c": ("C7", "p7c@seven.example"),
            "s": (None, "s@gmail.com"),
        },
        crm_accounts={
            "acc1": "C1",
            "acc2": "C1",
            "acc3": "C2",
            "acc4": "C3",
            "acc5": "C2",
            "acc6": "C6",
            "acc7": "C1",
        },
    )
    placement = {
        # A1 holds CRM accounts of C1, C1, C2 -> C1 (2 votes to 1)
        account("acc1"): "A1",
        account("acc2"): "A1",
        account("acc3"): "A1",
        # A2 holds CRM accounts of C3 and C2, one vote each -> tie -> the smaller key, C2
        account("acc4"): "A2",
        account("acc5"): "A2",
        # A4 holds one CRM account of C6 and three persons of C7 -> CRM accounts win: C6
        account("acc6"): "A4",
        # A6 holds another CRM account of C1 -> C1 as well: C1 is split over A1 and A6
        account("acc7"): "A6",
    }
    people = {
        # A3 holds no CRM account: persons of C4, C4, C5 -> majority C4
        "r4a": ("p4a", "A3"),
        "r4b": ("p4b", "A3"),
        "r5": ("p5", "A3"),
        "r7a": ("p7a", "A4"),
        "r7b": ("p7b", "A4"),
        "r7c": ("p7c", "A4"),
        # A5 holds only a student, who has no true account -> A5 maps to nothing
        "rs": ("s", "A5"),
    }
    for record_id, (person, account_id) in people.items():
        world.person_records[lead(record_id)] = person
        placement[lead(record_id)] = account_id
    world.bridge_accounts = placement
    return world


def test_account_mapping_majority_tie_break_and_fallback(open_world) -> None:
    mapping = {
        account_id: (key, basis) for account_id, key, basis in account_mapping(open_world(mapping_world()))
    }
    assert mapping == {
        "A1": ("C1", "crm_account"),
        "A2": ("C2", "crm_account"),
        "A3": ("C4", "person_majority"),
        "A4": ("C6", "crm_account"),
        "A6": ("C1", "crm_account"),
    }


def test_account_mapping_summary(open_world) -> None:
    result = account_assignment(open_world(mapping_world()))
    # A1..A6: 6 predicted accounts; 4 mapped by CRM accounts, 1 by persons, A5 unmapped; C1 split over A1, A6.
    assert result.predicted_accounts == 6
    assert (result.mapped_by_crm_account, result.mapped_by_person_majority, result.unmapped_accounts) == (
        4,
        1,
        1,
    )
    assert result.split_true_accounts == 1
    # Person records with a true account: r4a, r4b (A3 -> C4: right), r5 (A3 -> C4, truly C5: wrong),
    # r7a..c (A4 -> C6, truly C7: wrong) -> 2 of 6. The student rs has no true account: not judged.
    assert (result.true_account_correct, result.true_account_records) == (2, 6)
    assert result.true_account_share == pytest.approx(2 / 6)


def assignment_world() -> HandWorld:
    world = HandWorld(
        persons={
            "B1": ("C1", "b1@one.example"),
            "B2": ("C1", "b2@one.example"),
            "G": ("C1", "g@gmail.com"),  # an employee on a free-mail address
            "S": (None, "s@yahoo.com"),  # a student: no true account
            "B3": ("C2", " B3@Two.Example "),  # case and whitespace: still a business address
            "D": ("C2", "d@mailinator.com"),  # a disposable address
            "B4": ("C2", "b4@two.example"),
        },
        crm_accounts={"acc1": "C1", "acc2": "C2"},
    )
    placement: dict = {account("acc1"): "A1", account("acc2"): "A2"}
    people = {
        "r1": ("B1", "A1"),  # business, right
        "r2": ("B2", "A2"),  # business, wrong (A2 is C2)
        "r3": ("G", "A1"),  # personal email: not business; right
        "r4": ("S", "A1"),  # no true account: judged in neither share
        "r5": ("B3", None),  # business, no account at all: wrong
        "r6": ("D", "A2"),  # disposable email: not business; right
        "r7": ("B4", "A2"),  # business, right
    }
    for record_id, (person, account_id) in people.items():
        world.person_records[lead(record_id)] = person
        placement[lead(record_id)] = account_id
    world.bridge_accounts = placement
    return world


def test_business_email_filter_and_assignment_shares(open_world) -> None:
    result = account_assignment(open_world(assignment_world()))
    # business-email records: r1, r2, r5, r7 -> right: r1, r7 -> 2 of 4
    assert (result.business_email_correct, result.business_email_records) == (2, 4)
    assert result.business_email_share == pytest.approx(0.5)
    # every record with a true account: r1, r2, r3, r5, r6, r7 -> right: r1, r3, r6, r7 -> 4 of 6
    assert (result.true_account_correct, result.true_account_records) == (4, 6)
    assert result.unassigned_business_email_records == 1
    assert (result.predicted_accounts, result.mapped_by_crm_account, result.unmapped_accounts) == (2, 2, 0)
    assert (result.truth_only_records, result.bridge_only_records) == (0, 0)


def test_records_missing_from_the_account_bridge_are_counted(open_world) -> None:
    world = assignment_world()
    del world.bridge_accounts[lead("r2")]  # in truth only
    world.bridge_accounts[lead("ghost")] = "A1"  # in bridge only
    result = account_assignment(open_world(world))
    # r2 is no longer judged: business records r1, r5, r7 -> right r1, r7 -> 2 of 3
    assert (result.business_email_correct, result.business_email_records) == (2, 3)
    assert (result.truth_only_records, result.bridge_only_records) == (1, 1)


def test_no_business_records_gives_no_share(open_world) -> None:
    world = HandWorld(persons={"S": (None, "s@gmail.com")}, person_records={lead("r"): "S"})
    world.bridge_accounts = {lead("r"): None}
    result = account_assignment(open_world(world))
    assert (result.business_email_records, result.business_email_share, result.true_account_share) == (
        0,
        None,
        None,
    )


def test_free_mail_domains_used_as_account_domain(open_world) -> None:
    world = HandWorld(
        dim_accounts=[
            ("A1", "acme.example"),
            ("A2", "Gmail.com"),  # case-folded: free
            ("A3", "gmail.com"),
            ("A4", "mailinator.com"),  # disposable
            ("A5", None),
            ("A6", "notgmail.com"),  # not on the list
        ]
    )
    result = free_mail_domains(open_world(world))
    # A2, A3 (gmail.com) and A4 (mailinator.com) -> 3 accounts; examples by count then domain
    assert result.accounts == 3
    assert result.examples == (("gmail.com", 2), ("mailinator.com", 1))


def test_no_free_mail_domain_meets_the_target(open_world) -> None:
    result = free_mail_domains(open_world(HandWorld(dim_accounts=[("A1", "acme.example")])))
    assert (result.accounts, result.examples) == (0, ())
