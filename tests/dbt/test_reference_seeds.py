"""The reference seeds cover the vocabulary the sample-data generator emits.

The seeds are the warehouse's configuration (what a title or an activity means); the generator is
the synthetic world with its hidden truth. These tests apply the seeds' documented matching rules
(a SQL LIKE on the lower-cased value, lowest priority wins) in Python, so that a generator change
that adds a title, form, page or activity type fails here, in review, instead of silently becoming
an unmapped event or an unknown department in the scores.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

vocab = pytest.importorskip("orchestration.generator.vocab")

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "reference"


@cache
def read_seed(name: str) -> tuple[dict[str, str], ...]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def like_to_regex(pattern: str) -> re.Pattern[str]:
    """SQL LIKE semantics: % any run of characters, _ one character, everything else literal."""
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


def classify_title(title: str) -> tuple[str | None, str | None]:
    """Department and seniority: each from the lowest-priority matching row that sets it."""
    value = title.strip().lower()
    matches = sorted(
        (int(row["priority"]), row)
        for row in read_seed("title_taxonomy")
        if like_to_regex(row["title_pattern"]).match(value)
    )
    department = next((row["department"] for _, row in matches if row["department"]), None)
    seniority = next((row["seniority"] for _, row in matches if row["seniority"]), None)
    return department, seniority


def canonical_event(source_system: str, source_activity_type: str, attribute: str | None) -> str | None:
    """The canonical event type of one source activity, or None when no taxonomy row matches."""
    value = (attribute or "").strip().lower()
    matches = sorted(
        (int(row["priority"]), row["canonical_event_type"])
        for row in read_seed("activity_taxonomy")
        if row["source_system"] == source_system
        and row["source_activity_type"] == source_activity_type
        and like_to_regex(row["attribute_pattern"]).match(value)
    )
    return matches[0][1] if matches else None


def expected_page_event(path: str) -> str:
    if path in ("/pricing", "/pricing/enterprise"):
        return "pricing_page_visit"
    if path.startswith("/integrations/"):
        return "integration_page_visit"
    if path.startswith("/careers"):
        return "careers_page_visit"
    return "web_visit"


@pytest.mark.parametrize(("title", "department", "seniority"), vocab.TITLE_CATALOGUE)
def test_every_generated_title_gets_its_department_and_seniority(title, department, seniority):
    assert classify_title(title) == (department, seniority)
    assert classify_title(f"  {title.upper()} ") == (department, seniority)


def test_title_taxonomy_uses_the_generator_vocabulary():
    departments = {row["department"] for row in read_seed("title_taxonomy") if row["department"]}
    seniorities = {row["seniority"] for row in read_seed("title_taxonomy") if row["seniority"]}
    assert departments == set(vocab.DEPARTMENTS)
    assert seniorities == set(vocab.SENIORITIES)


URL_ACTIVITY_TYPES = [("map", "1"), ("map", "3"), ("web", "page_view")]


@pytest.mark.parametrize("path", vocab.ALL_PATHS)
@pytest.mark.parametrize(("source_system", "activity_type"), URL_ACTIVITY_TYPES)
def test_every_page_maps_to_its_page_event(source_system, activity_type, path):
    url = vocab.SITE + path
    expected = expected_page_event(path)
    assert canonical_event(source_system, activity_type, url) == expected
    assert canonical_event(source_system, activity_type, f"{url}?utm_source=google") == expected


@pytest.mark.parametrize(
    ("form_name", "event_type"),
    [
        ("Request a Demo", "demo_request"),
        ("Contact Sales", "contact_form"),
        ("Start Free Trial", "trial_start"),
        ("Download Whitepaper", "content_download"),
        ("Download Ebook", "content_download"),
        ("Webinar Registration", "webinar_registered"),
        ("Newsletter Signup", "newsletter_signup"),
    ],
)
def test_form_names_map_to_their_events(form_name, event_type):
    assert canonical_event("map", "2", form_name) == event_type


def test_every_generated_form_is_in_the_expectations_above():
    expected = {"Request a Demo", "Contact Sales", "Start Free Trial", "Download Whitepaper"}
    expected |= {"Download Ebook", "Webinar Registration", "Newsletter Signup"}
    assert set(vocab.FORM_NAMES) == expected


@pytest.mark.parametrize("activity_type_id", sorted(vocab.ACTIVITY_TYPES))
def test_every_generated_activity_type_is_mapped(activity_type_id):
    assert canonical_event("map", str(activity_type_id), "anything") is not None


@pytest.mark.parametrize(
    ("activity_type_id", "event_type"),
    [
        (6, "email_sent"),
        (7, "email_delivered"),
        (8, "hard_bounce"),
        (27, "soft_bounce"),
        (9, "unsubscribe"),
        (10, "email_open"),
        (11, "email_click"),
        (32, "lead_merge"),
        (100001, "webinar_attended"),
    ],
)
def test_email_and_other_activity_types(activity_type_id, event_type):
    assert canonical_event("map", str(activity_type_id), "Nurture 1 - Why a Semantic Layer") == event_type


@pytest.mark.parametrize(
    ("task_type", "subject"),
    sorted(set(vocab.TASK_SUBJECTS_CYCLE + vocab.TASK_SUBJECTS_PROSPECTING + vocab.TASK_SUBJECTS_MQL)),
)
def test_every_generated_task_maps_to_a_sales_event(task_type, subject):
    expected = {"Call": "sales_call", "Meeting": "sales_meeting", "Email": "sales_email"}[task_type]
    if subject.startswith("Email reply:"):
        expected = "sales_email_reply"
    assert canonical_event("crm", f"task.{task_type}", subject) == expected


def test_taxonomy_events_exist_in_canonical_event_types():
    known = {row["event_type"] for row in read_seed("canonical_event_types")}
    used = {row["canonical_event_type"] for row in read_seed("activity_taxonomy")}
    assert used <= known


def test_generated_personal_domains_are_listed():
    listed = {row["domain"] for row in read_seed("personal_email_domains")}
    assert set(vocab.PERSONAL_EMAIL_DOMAINS) <= listed
