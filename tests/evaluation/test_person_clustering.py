"""Pairwise precision and recall of the person clustering, and record coverage, on hand-worked examples."""

from __future__ import annotations

import pytest

from orchestration.evaluation.identity import person_clustering, ratio, wrong_merges

from .worlds import HandWorld, lead


def clusters_world(truth: list[list[str]], predicted: list[list[str]]) -> HandWorld:
    """Leads named by their ids; truth cluster k is person Tk (account C1), predicted cluster k is Pk."""
    world = HandWorld()
    for k, cluster in enumerate(truth):
        world.persons[f"T{k}"] = ("C1", f"t{k}@acme.example")
        for record_id in cluster:
            world.person_records[lead(record_id)] = f"T{k}"
    for k, cluster in enumerate(predicted):
        for record_id in cluster:
            world.bridge_persons[lead(record_id)] = f"P{k}"
    return world


def test_hand_worked_example(open_world) -> None:
    # truth {a,b,c},{d}; predicted {a,b},{c,d}.
    # cells n_ij: (P0,T0)=2, (P1,T0)=1, (P1,T1)=1 -> TP = C(2,2) + 0 + 0 = 1
    # predicted sizes 2, 2 -> predicted pairs = 1 + 1 = 2; true sizes 3, 1 -> true pairs = 3 + 0 = 3
    # precision = 1/2, recall = 1/3
    con = open_world(clusters_world([["a", "b", "c"], ["d"]], [["a", "b"], ["c", "d"]]))
    result = person_clustering(con)
    assert (result.true_positive_pairs, result.predicted_pairs, result.true_pairs) == (1, 2, 3)
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(1 / 3)
    assert (result.records_compared, result.predicted_persons, result.true_persons) == (4, 2, 2)
    assert (result.truth_only_records, result.bridge_only_records, result.duplicate_bridge_records) == (
        0,
        0,
        0,
    )


def test_perfect_clustering_is_one_and_one(open_world) -> None:
    # truth = predicted = {a,b,c},{d,e},{f}: TP = 3 + 1 = 4 = predicted pairs = true pairs.
    clusters = [["a", "b", "c"], ["d", "e"], ["f"]]
    result = person_clustering(open_world(clusters_world(clusters, clusters)))
    assert (result.true_positive_pairs, result.predicted_pairs, result.true_pairs) == (4, 4, 4)
    assert (result.precision, result.recall) == (1.0, 1.0)


def test_singleton_prediction_has_no_recall(open_world) -> None:
    # truth {a,b,c},{d}: 3 true pairs; predicted all singletons: 0 predicted pairs, TP 0.
    # precision = 0/0 -> defined 1.0; recall = 0/3 = 0.
    result = person_clustering(
        open_world(clusters_world([["a", "b", "c"], ["d"]], [["a"], ["b"], ["c"], ["d"]]))
    )
    assert (result.true_positive_pairs, result.predicted_pairs, result.true_pairs) == (0, 0, 3)
    assert (result.precision, result.recall) == (1.0, 0.0)


def test_singletons_everywhere_are_perfect(open_world) -> None:
    # No true pairs and no predicted pairs: both denominators 0 -> precision = recall = 1.0.
    result = person_clustering(open_world(clusters_world([["a"], ["b"]], [["a"], ["b"]])))
    assert (result.predicted_pairs, result.true_pairs, result.precision, result.recall) == (0, 0, 1.0, 1.0)


def test_one_big_cluster_has_no_precision_to_speak_of(open_world) -> None:
    # truth {a,b},{c,d}; predicted {a,b,c,d}: TP = 1 + 1 = 2, predicted pairs C(4,2) = 6, true pairs 2.
    # precision = 2/6, recall = 2/2.
    result = person_clustering(open_world(clusters_world([["a", "b"], ["c", "d"]], [["a", "b", "c", "d"]])))
    assert result.precision == pytest.approx(1 / 3)
    assert result.recall == 1.0


def test_records_in_only_one_side_are_counted_not_paired(open_world) -> None:
    # truth {a,b,e}; bridge has a, b (P0) and z (unknown to the truth), lacks e.
    # Compared: a, b only -> TP 1, predicted pairs 1, true pairs 1 (e is not compared).
    world = clusters_world([["a", "b", "e"]], [["a", "b", "z"]])
    world.bridge_persons[("web", "visitor", "v1")] = "P9"  # a visitor the truth does not know
    result = person_clustering(open_world(world))
    assert (result.true_positive_pairs, result.predicted_pairs, result.true_pairs) == (1, 1, 1)
    assert (result.truth_only_records, result.bridge_only_records) == (1, 2)
    by_source = {(c.source_system, c.source_object): c for c in result.coverage}
    assert (by_source["crm", "lead"].in_both, by_source["crm", "lead"].truth_only) == (2, 1)
    assert (by_source["crm", "lead"].bridge_only, by_source["web", "visitor"].bridge_only) == (1, 1)


def test_a_record_without_person_id_is_its_own_person(open_world) -> None:
    # truth {a,b}; predicted a -> P0, b -> NULL: b is a singleton, so TP 0, predicted pairs 0, recall 0.
    world = clusters_world([["a", "b"]], [["a"]])
    world.bridge_persons[lead("b")] = None
    result = person_clustering(open_world(world))
    assert (result.true_positive_pairs, result.predicted_pairs, result.true_pairs) == (0, 0, 1)
    assert result.predicted_persons == 2


def test_ratio_is_one_on_an_empty_denominator() -> None:
    assert ratio(0, 0) == 1.0
    assert ratio(1, 4) == 0.25


def test_wrong_merges_across_persons_and_accounts(open_world) -> None:
    world = HandWorld(
        persons={
            "X": ("C1", "x@one.example"),
            "Y": ("C2", "y@two.example"),
            "Z": ("C1", "z@one.example"),
            "S": (None, "student@gmail.com"),
            "W": ("C1", "w@one.example"),
        },
    )
    records = {"x1": "X", "x2": "X", "y1": "Y", "z1": "Z", "s1": "S", "w1": "W"}
    predicted = {"x1": "P1", "y1": "P1", "x2": "P2", "z1": "P2", "s1": "P3", "w1": "P3"}
    for record_id, key in records.items():
        world.person_records[lead(record_id)] = key
        world.bridge_persons[lead(record_id)] = predicted[record_id]
    # P1 = {X (C1), Y (C2)}: across persons and across accounts (2 records)
    # P2 = {X (C1), Z (C1)}: across persons, same account
    # P3 = {S (no account), W (C1)}: across persons; only one true account, so not across accounts
    result = wrong_merges(open_world(world))
    assert result.persons_across_true_persons == 3
    assert result.persons_across_true_accounts == 1
    assert result.records_in_cross_account_persons == 2
