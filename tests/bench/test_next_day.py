"""The next-day delta on a small world: new files only, dated that day, known ids, the same layouts."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from orchestration.generator import generate
from orchestration.generator.next_day import last_activity_date, write_next_day

WRITTEN = ("map/activity", "web/page_view", "crm/lead", "crm/contact")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("next_day")
    landing = root / "landing"
    generate(preset="small", landing_dir=landing, truth_dir=root / "truth", seed=42)
    before = {path: path.read_bytes() for path in landing.rglob("*") if path.is_file()}
    day = last_activity_date(landing) + timedelta(days=1)
    rows = write_next_day(landing, day)
    new = {p for p in landing.rglob("*") if p.is_file()} - set(before)
    return {"landing": landing, "before": before, "day": day, "rows": rows, "new": new}


def _new_file(world: dict, key: str) -> Path:
    system, obj = key.split("/")
    (path,) = [p for p in world["new"] if p.parent == world["landing"] / system / obj]
    return path


def _old_file(world: dict, key: str) -> Path:
    system, obj = key.split("/")
    return min(p for p in world["before"] if p.parent == world["landing"] / system / obj)


def _csv_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _jsonl_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_only_new_files_named_with_the_day(world: dict) -> None:
    landing = world["landing"]
    assert world["day"] == date(2026, 11, 20)  # the small world's activities end on 2026-11-19
    assert {p for p in world["before"] if p.read_bytes() != world["before"][p]} == set()
    assert {str(p.relative_to(landing).parent) for p in world["new"]} == set(WRITTEN)
    assert all(world["day"].isoformat() in p.name for p in world["new"])
    assert set(world["rows"]) == set(WRITTEN)


def test_writing_the_same_day_again_is_refused(world: dict) -> None:
    with pytest.raises(FileExistsError):
        write_next_day(world["landing"], world["day"])


def test_about_one_day_of_activity(world: dict) -> None:
    # small: about 42,600 activities and 28,600 page views over two years, ~58 and ~39 a day
    assert 25 <= world["rows"]["map/activity"] <= 120
    assert 10 <= world["rows"]["web/page_view"] <= 120


def test_activities_dated_that_day_for_known_leads(world: dict) -> None:
    old_header, old_rows = _csv_rows(_old_file(world, "map/activity"))
    header, rows = _csv_rows(_new_file(world, "map/activity"))
    assert header == old_header
    assert len(rows) == world["rows"]["map/activity"]
    assert {r["activityDate"][:10] for r in rows} == {world["day"].isoformat()}
    assert {r["leadId"] for r in rows} <= {r["leadId"] for r in old_rows}
    assert {r["activityTypeName"] for r in rows} <= {r["activityTypeName"] for r in old_rows}
    old_ids = {int(r["id"]) for r in old_rows}
    assert min(int(r["id"]) for r in rows) > max(old_ids)


def test_page_views_dated_that_day_for_known_visitors(world: dict) -> None:
    old = _jsonl_rows(_old_file(world, "web/page_view"))
    new = _jsonl_rows(_new_file(world, "web/page_view"))
    assert [list(r) for r in new] == [list(old[0])] * len(new)  # same keys, same order
    assert {r["viewed_at"][:10] for r in new} == {world["day"].isoformat()}
    assert {r["visitor_id"] for r in new} <= {r["visitor_id"] for r in old}
    assert not {r["event_id"] for r in new} & {r["event_id"] for r in old}
    assert not {r["session_id"] for r in new} & {r["session_id"] for r in old}


def test_crm_updates_keep_ids_and_move_the_version_forward(world: dict) -> None:
    day = world["day"].isoformat()
    for key in ("crm/lead", "crm/contact"):
        old_path, new_path = _old_file(world, key), _new_file(world, key)
        old_header, old_rows = _csv_rows(old_path)
        header, rows = _csv_rows(new_path)
        assert header == old_header
        # Same file conventions as the generator's CRM extracts: BOM and CRLF.
        assert new_path.read_bytes()[:3] == old_path.read_bytes()[:3] == b"\xef\xbb\xbf"
        assert b"\r\n" in new_path.read_bytes()
        old_by_id = {r["Id"]: r for r in old_rows}
        updated = [r for r in rows if r["Id"] in old_by_id]
        assert len(updated) >= 3
        for row in updated:
            before = old_by_id[row["Id"]]
            assert row["SystemModstamp"][:10] == day > before["SystemModstamp"]
            assert row["Title"] != before["Title"]
            assert row["CreatedDate"] == before["CreatedDate"]


def test_new_leads_are_new_people_created_that_day(world: dict) -> None:
    _, old_rows = _csv_rows(_old_file(world, "crm/lead"))
    _, rows = _csv_rows(_new_file(world, "crm/lead"))
    old_ids = {r["Id"] for r in old_rows}
    new = [r for r in rows if r["Id"] not in old_ids]
    assert len(new) >= 1
    for row in new:
        assert len(row["Id"]) == 18 and row["Id"].startswith("00Q")
        assert row["CreatedDate"][:10] == world["day"].isoformat()
        assert row["IsConverted"] == "false"
        assert "@" in row["Email"]
