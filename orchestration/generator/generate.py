"""The generator's entry point: build the world, render every extract, write the ground truth.

Deterministic for a preset and seed: every random draw comes from generators seeded by (seed,
stream), the extract instant is a constant, and files are written in a fixed order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator import activities as act
from orchestration.generator import sales
from orchestration.generator.crm_records import Crm, build_crm
from orchestration.generator.extract_specs import CRM_TYPES, MAP_LEAD_TYPES
from orchestration.generator.ids import sf_ids
from orchestration.generator.malformed import malformed_lines
from orchestration.generator.map_records import Identities, build_identities
from orchestration.generator.mess import MESS_RATES, MessRates
from orchestration.generator.presets import DAY, END_TS, EXTRACT_DATE, PRESETS, START_TS
from orchestration.generator.render import MapVocabulary, WebVocabulary, map_activity_table, page_view_table
from orchestration.generator.truth import write_truth
from orchestration.generator.world import World, build_world
from orchestration.generator.writers import CsvStream, JsonLinesStream, ParquetStream, frame_to_arrow

DATE_TAG = EXTRACT_DATE.strftime("%Y-%m-%d")
CRLF, LF = "\r\n", "\n"
CRM_ORDER = (
    "user",
    "account",
    "contact",
    "lead",
    "opportunity",
    "opportunity_contact_role",
    "campaign",
    "campaign_member",
    "mql_disposition",
)


@dataclass
class GenerationSummary:
    """What ``generate`` wrote: rows per object (malformed rows included), files, and how long it took."""

    preset: str
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Streams:
    activity: CsvStream | ParquetStream
    page_view: JsonLinesStream | ParquetStream
    task: CsvStream


@dataclass
class _Collected:
    dispositions: list[pd.DataFrame] = field(default_factory=list)
    members: list[pd.DataFrame] = field(default_factory=list)
    unsubscribed: list[np.ndarray] = field(default_factory=list)
    invalid: list[np.ndarray] = field(default_factory=list)
    identified_visitors: list[np.ndarray] = field(default_factory=list)
    malformed: list[dict] = field(default_factory=list)
    company_domains: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    counters: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("activity", "view", "session", "task"), 0)
    )


def _path(landing: Path, system: str, obj: str, ext: str) -> Path:
    return landing / system / obj / f"{obj}_{DATE_TAG}.{ext}"


def _person_frame(world: World, crm: Crm, ids: Identities) -> pd.DataFrame:
    """Everything a chunk needs per person, as plain columns indexed by person position."""
    persons, companies = world.persons, world.companies
    kind_code = persons["kind"].map(act.KIND_CODES).to_numpy()
    company = persons["company_idx"].to_numpy()
    safe = np.maximum(company, 0)
    visitors = ids.visitors
    vp = visitors["_person_idx"].to_numpy()
    known_v = vp >= 0
    v_count = np.bincount(vp[known_v], minlength=len(persons))
    v_start = np.searchsorted(vp[known_v], np.arange(len(persons)))
    return (
        pd.DataFrame(
            {
                "kind": persons["kind"].to_numpy(),
                "kind_code": kind_code,
                "level": persons["activity_level"].to_numpy(),
                "active_from": np.maximum(persons["first_seen"].to_numpy(), START_TS),
                "segment": np.where(company >= 0, companies["segment"].to_numpy()[safe], "D"),
                "email": persons["email"].to_numpy(),
                "domain": np.where(
                    (company >= 0) & (persons["kind"] != "student").to_numpy(),
                    companies["domain"].to_numpy()[safe],
                    None,
                ),
                "v_start": v_start,
                "v_count": v_count,
            }
        )
        .join(ids.person_map)
        .join(crm.person_crm)
    )


def _engagement_frame(world: World, crm: Crm) -> pd.DataFrame:
    cycles = world.cycles
    opp_of_cycle = (
        crm.opportunities[crm.opportunities["Type"] != "Services"].groupby("_cycle_idx")["Id"].first()
    )
    e = world.engagements
    c = e["cycle_idx"].to_numpy()
    return pd.DataFrame(
        {
            "person_idx": e["person_idx"].to_numpy(),
            "cycle_idx": c,
            "start": cycles["start"].to_numpy()[c],
            "opp_created": cycles["opp_created"].to_numpy()[c],
            "has_opp": cycles["has_opp"].to_numpy()[c],
            "close": cycles["close"].to_numpy()[c],
            "opp_id": opp_of_cycle.reindex(c).to_numpy(),
        }
    )


def _run_chunk(
    chunk_no: int,
    seed: int,
    p: pd.DataFrame,
    eng: pd.DataFrame,
    crm: Crm,
    ids: Identities,
    calendar: act.CampaignCalendar,
    vocabs: tuple[MapVocabulary, WebVocabulary],
    scale: float,
    streams: _Streams,
    out: _Collected,
    p0: int,
) -> None:
    """Generate and write one chunk of persons' activities, tasks, members and MQL dispositions."""
    rng = np.random.default_rng([seed, 1_000 + chunk_no])
    map_vocab, web_vocab = vocabs
    views, marketo = act.person_events(rng, p, eng, calendar, scale, out.counters["session"])
    if len(views.session):
        out.counters["session"] = int(views.session.max()) + 1

    # Marketo rows: on the person's lead; before a Marketo merge, partly on the losing lead.
    map_id, map_created = p["map_id"].to_numpy(), p["map_created"].to_numpy()
    loser, merge_ts = p["loser_id"].to_numpy(), p["merge_ts"].to_numpy()
    person = marketo.person
    to_loser = (
        (loser[person] >= 0)
        & (marketo.ts < merge_ts[person])
        & ((marketo.ts < map_created[person]) | (rng.random(len(person)) < 0.5))
    )
    keep = (map_id[person] >= 0) & (to_loser | (marketo.ts >= map_created[person]))
    marketo = act.Events(*[getattr(marketo, f)[keep] for f in act.Events.__dataclass_fields__])
    lead_id = np.where(to_loser[keep], loser[marketo.person], map_id[marketo.person])
    has_loser = np.flatnonzero(loser >= 0)
    merges = pd.DataFrame(
        {"winner_id": map_id[has_loser], "loser_id": loser[has_loser], "merge_ts": merge_ts[has_loser]}
    )
    table = map_activity_table(
        map_vocab,
        marketo,
        lead_id,
        merges,
        crm.campaigns["Id"].to_numpy(),
        act_first := out.counters["activity"] + 1,
    )
    streams.activity.write(table)
    out.counters["activity"] = act_first + table.num_rows - 1
    out.unsubscribed.append(p0 + np.unique(marketo.person[marketo.etype == act.UNSUB]))
    out.invalid.append(p0 + np.unique(marketo.person[marketo.etype == act.BOUNCE]))

    # Web page views: the session's cookie, the email once the visitor identified, reverse-IP domain.
    vp = views.person
    vrow = p["v_start"].to_numpy()[vp] + views.session % np.maximum(p["v_count"].to_numpy()[vp], 1)
    ident_at = ids.visitors["_identified_at"].to_numpy()[vrow]
    with_email = (ident_at >= 0) & (views.ts >= ident_at)
    resolved = ((views.session * 2_654_435_761) % 1000 < act.REVERSE_IP_RESOLVED * 1000) & p[
        "domain"
    ].notna().to_numpy()[vp]
    email = pc.if_else(
        pa.array(with_email),
        pa.array(p["email"].to_numpy()[vp], pa.string(), from_pandas=True),
        pa.scalar(None, pa.string()),
    )
    domain = pc.if_else(
        pa.array(resolved),
        pa.array(p["domain"].to_numpy()[vp], pa.string(), from_pandas=True),
        pa.scalar(None, pa.string()),
    )
    visitor_ids = pa.array(ids.visitors["visitor_id"].to_numpy()[vrow])
    pv = page_view_table(
        web_vocab,
        views.ts,
        views.detail,
        views.utm,
        views.landing,
        views.session,
        visitor_ids,
        email,
        domain,
        out.counters["view"],
    )
    streams.page_view.write(pv)
    out.counters["view"] += pv.num_rows
    out.identified_visitors.append(np.unique(vrow[with_email]))

    # The old MQL process, sales' verdicts, sales tasks, campaign members.
    crossings = sales.mql_crossings(marketo)
    disp = sales.dispositions(rng, crossings, p, eng)
    tasks = sales.tasks(rng, p, eng, disp)
    tasks.insert(0, "Id", sf_ids("task", out.counters["task"] + np.arange(len(tasks))))
    out.counters["task"] += len(tasks)
    streams.task.write(frame_to_arrow(tasks, CRM_TYPES["task"]))
    if chunk_no == 0:
        _inject_malformed(streams.task, "task", frame_to_arrow(tasks.head(1), CRM_TYPES["task"]), out)
    disp["person"] += p0
    out.dispositions.append(disp)
    members = sales.campaign_members(marketo, p, crm.campaigns["_start"].to_numpy())
    members["who_id"] = p["who_id"].to_numpy()[members["person"].to_numpy()]
    members["who_kind"] = p["who_kind"].to_numpy()[members["person"].to_numpy()]
    out.members.append(members)


def _anonymous_chunk(
    seed: int,
    ids: Identities,
    vocabs: tuple[MapVocabulary, WebVocabulary],
    scale: float,
    streams: _Streams,
    out: _Collected,
) -> None:
    """Traffic of visitors nobody knows; a share resolves to a company domain by reverse IP."""
    rng = np.random.default_rng([seed, 999])
    anon = np.flatnonzero(ids.visitors["_person_idx"].to_numpy() < 0)
    a = len(anon)
    pos, ts = act._spawn(
        rng, np.arange(a), np.full(a, 3.0 * scale), np.full(a, START_TS), np.full(a, END_TS - 3600)
    )
    group = np.where(rng.random(len(pos)) < 0.85, act.GROUP_CODES["content"], act.GROUP_CODES["pricing"])
    views = act.sessions_to_views(rng, pos, ts, group, out.counters["session"])
    views.ts = np.minimum(views.ts, END_TS - 1)
    out.counters["session"] += len(pos)
    vrow = anon[views.person]
    company = ids.visitors["_company_idx"].to_numpy()[vrow]
    domains = out.company_domains
    domain = pa.array(
        np.where(company >= 0, domains[np.maximum(company, 0)], None), pa.string(), from_pandas=True
    )
    pv = page_view_table(
        vocabs[1],
        views.ts,
        views.detail,
        views.utm,
        views.landing,
        views.session,
        pa.array(ids.visitors["visitor_id"].to_numpy()[vrow]),
        pa.nulls(len(vrow), pa.string()),
        domain,
        out.counters["view"],
    )
    streams.page_view.write(pv)
    out.counters["view"] += pv.num_rows


def _inject_malformed(stream: CsvStream, obj: str, template: pa.Table, out: _Collected) -> None:
    for record_id, defect, line in malformed_lines(obj, template, len(out.malformed), stream.eol):
        stream.write_raw(line)
        stream.rows += 1
        out.malformed.append({"object": obj, "id": record_id, "defect": defect})


def _write_crm(landing: Path, obj: str, df: pd.DataFrame, out: _Collected) -> CsvStream:
    """One CRM extract: real rows with the malformed extras slipped into the middle."""
    table = frame_to_arrow(df, CRM_TYPES[obj])
    stream = CsvStream(_path(landing, "crm", obj, "csv"), bom=True, eol=CRLF)
    half = table.num_rows // 2
    stream.write(table.slice(0, max(half, 1)))
    _inject_malformed(stream, obj, table.slice(0, 1), out)
    if table.num_rows > 1:
        stream.write(table.slice(max(half, 1)))
    stream.close()
    return stream


def _campaign_member_frame(
    members: pd.DataFrame, campaigns: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    n = len(members)
    created = members["ts"].to_numpy()
    return pd.DataFrame(
        {
            "Id": sf_ids("campaign_member", np.arange(n)),
            "CampaignId": campaigns["Id"].to_numpy()[members["campaign"].to_numpy()],
            "LeadId": members["who_id"].where(members["who_kind"] == "lead", None).to_numpy(),
            "ContactId": members["who_id"].where(members["who_kind"] == "contact", None).to_numpy(),
            "Status": members["status"].to_numpy(),
            "HasResponded": members["responded"].to_numpy(),
            "FirstRespondedDate": members["resp_ts"].where(members["responded"], None).to_numpy(),
            "IsDeleted": False,
            "CreatedDate": created,
            "SystemModstamp": np.minimum(created + rng.integers(0, 30 * DAY, n), END_TS - 60),
            "_person": members["person"].to_numpy(),
        }
    )


def _disposition_frame(disp: pd.DataFrame) -> pd.DataFrame:
    n = len(disp)
    return pd.DataFrame(
        {
            "Id": sf_ids("mql_disposition", np.arange(n)),
            "Lead__c": disp["who_id"].where(disp["who_kind"] == "lead", None).to_numpy(),
            "Contact__c": disp["who_id"].where(disp["who_kind"] == "contact", None).to_numpy(),
            "MQL_Date__c": disp["mql_ts"].to_numpy(),
            "Status__c": disp["status"].to_numpy(),
            "Rejection_Reason__c": disp["reason"].to_numpy(),
            "Disposition_Date__c": disp["decided_ts"].to_numpy(),
            "IsDeleted": False,
            "CreatedDate": disp["mql_ts"].to_numpy() + 600,
            "SystemModstamp": disp["decided_ts"].to_numpy(),
            "_person": disp["person"].to_numpy(),
        }
    )


def _apply_dispositions_to_leads(leads: pd.DataFrame, disp: pd.DataFrame) -> None:
    """Lead status follows sales' latest verdict (converted leads stay Converted)."""
    latest = (
        disp.sort_values("mql_ts", kind="stable").drop_duplicates("who_id", keep="last").set_index("who_id")
    )
    verdict = (
        latest["status"].where(latest["status"] == "Rejected", "Accepted") + "|" + latest["reason"].fillna("")
    )
    status_of = verdict.map(
        {
            "Accepted|": "Qualified",
            "Rejected|Bad Timing": "Nurture",
            "Rejected|Bad Fit": "Unqualified",
            "Rejected|Bad Data": "Unqualified",
        }
    )
    new = leads["Id"].map(status_of)
    leads["Status"] = np.where(new.notna() & ~leads["IsConverted"].to_numpy(), new, leads["Status"])


def generate(
    preset: str = "small",
    landing_dir: Path | str = "data/landing",
    truth_dir: Path | str = "data/truth",
    seed: int = 42,
    rates: MessRates = MESS_RATES,
) -> GenerationSummary:
    """Write a synthetic B2B world's extracts into ``landing_dir`` and its ground truth into ``truth_dir``."""
    started = time.perf_counter()
    spec = PRESETS[preset]
    landing, truth = Path(landing_dir), Path(truth_dir)
    rng = np.random.default_rng([seed, 1])
    world = build_world(rng, spec, rates)
    crm = build_crm(np.random.default_rng([seed, 2]), world, spec, rates)
    ids = build_identities(np.random.default_rng([seed, 3]), world, crm, spec, rates)

    persons = _person_frame(world, crm, ids)
    engagements = _engagement_frame(world, crm)
    calendar = act.CampaignCalendar.from_campaigns(crm.campaigns)
    vocabs = (MapVocabulary(crm.campaigns), WebVocabulary())
    big_parquet = spec.big_format == "parquet"
    streams = _Streams(
        activity=ParquetStream(_path(landing, "map", "activity", "parquet"), spec.rows_per_part)
        if big_parquet
        else CsvStream(_path(landing, "map", "activity", "csv"), bom=False, eol=LF),
        page_view=ParquetStream(_path(landing, "web", "page_view", "parquet"), spec.rows_per_part)
        if big_parquet
        else JsonLinesStream(_path(landing, "web", "page_view", "jsonl")),
        task=CsvStream(_path(landing, "crm", "task", "csv"), bom=True, eol=CRLF),
    )
    out = _Collected()
    out.company_domains = world.companies["domain"].to_numpy()
    n = len(persons)
    eng_person = engagements["person_idx"].to_numpy()
    for chunk_no, p0 in enumerate(range(0, n, spec.persons_per_chunk)):
        p1 = min(n, p0 + spec.persons_per_chunk)
        p = persons.iloc[p0:p1].reset_index(drop=True)
        lo, hi = np.searchsorted(eng_person, [p0, p1])
        eng = engagements.iloc[lo:hi].reset_index(drop=True)
        eng["local"] = eng["person_idx"] - p0
        _run_chunk(chunk_no, seed, p, eng, crm, ids, calendar, vocabs, spec.activity_scale, streams, out, p0)
    _anonymous_chunk(seed, ids, vocabs, spec.activity_scale, streams, out)

    files: list[Path] = []
    rows: dict[str, int] = {}
    for key, stream in (
        ("map/activity", streams.activity),
        ("web/page_view", streams.page_view),
        ("crm/task", streams.task),
    ):
        files += stream.close()
        rows[key] = stream.rows

    disp = pd.concat(out.dispositions, ignore_index=True)
    _apply_dispositions_to_leads(crm.leads, disp)
    members = pd.concat(out.members, ignore_index=True)
    frames = {
        "user": crm.users,
        "account": crm.accounts,
        "contact": crm.contacts,
        "lead": crm.leads,
        "opportunity": crm.opportunities,
        "opportunity_contact_role": crm.contact_roles,
        "campaign": crm.campaigns,
        "campaign_member": _campaign_member_frame(members, crm.campaigns, np.random.default_rng([seed, 4])),
        "mql_disposition": _disposition_frame(disp),
    }
    for obj in CRM_ORDER:
        stream = _write_crm(landing, obj, frames[obj], out)
        files.append(stream.path)
        rows[f"crm/{obj}"] = stream.rows

    map_leads = ids.map_leads.copy()
    person_of = map_leads["_person_idx"].to_numpy()
    winner = map_leads["_merged_into"].to_numpy() < 0
    map_leads["unsubscribed"] = np.isin(person_of, np.concatenate(out.unsubscribed)) & winner
    map_leads["emailInvalid"] = np.isin(person_of, np.concatenate(out.invalid)) & winner
    lead_stream = CsvStream(_path(landing, "map", "lead", "csv"), bom=False, eol=LF)
    lead_stream.write(frame_to_arrow(map_leads, MAP_LEAD_TYPES))
    files += lead_stream.close()
    rows["map/lead"] = lead_stream.rows

    identified = np.unique(np.concatenate(out.identified_visitors))
    summary = GenerationSummary(
        preset=preset, seed=seed, rows=rows, files=sorted(str(f.relative_to(landing)) for f in files)
    )
    write_truth(truth, landing, world, crm, ids, frames, identified, out.malformed, summary, rates)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary
