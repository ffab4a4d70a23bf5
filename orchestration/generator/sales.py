"""What sales and the old scoring process did with a chunk of persons: tasks, campaign members, MQLs.

The previous MQL process was a naive point system: points per Marketo activity, never decaying,
an MQL when a person's total crossed a threshold. Sales' verdicts follow the truth: accepted when the
person really was in a buying cycle at a fitting account; rejected as Bad Fit (students, hobbyists,
job seekers, competitors, researchers, poor-fit accounts), Bad Data (garbage lead fields) or Bad
Timing (fits but not buying now; such a person may become an MQL again later).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.generator import vocab
from orchestration.generator.activities import (
    ATTEND,
    CLICK,
    CLICK_LINK,
    DELIVERED,
    FORM,
    FORM_INDEX,
    OPEN,
    SEND,
    VISIT,
    Events,
)
from orchestration.generator.presets import DAY, END_TS

MQL_THRESHOLD = 60
MQL_REPEAT_GAP_DAYS = 30
_PRICING = np.isin(np.arange(len(vocab.ALL_PATHS)), [vocab.ALL_PATHS.index(p) for p in vocab.PRICING_PAGES])
_INTENT_FORMS = np.array([FORM_INDEX[f] for f in vocab.FORMS_INTENT])
_WEBINAR_FORM = FORM_INDEX[vocab.WEBINAR_REGISTRATION_FORM]


def naive_points(events: Events) -> np.ndarray:
    """The old point system: visits 1 (pricing 10), forms 10 (demo/trial 30), webinars 15, email 1-3."""
    e, d = events.etype, events.detail
    is_visit = e == VISIT
    pricing = np.zeros(len(e), dtype=bool)
    pricing[is_visit] = _PRICING[d[is_visit]]
    return np.select(
        [
            is_visit & pricing,
            is_visit,
            (e == FORM) & np.isin(d, _INTENT_FORMS),
            (e == FORM) & (d == _WEBINAR_FORM),
            e == FORM,
            e == ATTEND,
            e == CLICK,
            e == OPEN,
            e == CLICK_LINK,
        ],
        [10, 1, 30, 5, 10, 15, 3, 1, 1],
        0,
    )


def mql_crossings(events: Events) -> pd.DataFrame:
    """Per person, when the running point total first crossed the threshold, and twice the threshold."""
    pts = naive_points(events)
    order = np.lexsort((events.ts, events.person))
    person, ts, pts = events.person[order], events.ts[order], pts[order]
    total = np.cumsum(pts)
    group_start = np.r_[0, np.flatnonzero(np.diff(person)) + 1]
    base = np.repeat(total[group_start] - pts[group_start], np.diff(np.r_[group_start, len(person)]))
    running = total - base
    rows = []
    for level in (1, 2):
        limit = level * MQL_THRESHOLD
        hit = (running >= limit) & (running - pts < limit)
        rows.append(pd.DataFrame({"person": person[hit], "ts": ts[hit], "level": level}))
    return pd.concat(rows, ignore_index=True)


def dispositions(
    rng: np.random.Generator, crossings: pd.DataFrame, p: pd.DataFrame, eng: pd.DataFrame
) -> pd.DataFrame:
    """Sales' verdict per MQL; a second MQL only after a Bad Timing rejection at least 30 days earlier."""
    c = crossings.merge(
        p[["who_id", "who_kind", "crm_created", "kind", "segment", "bad_data"]],
        left_on="person",
        right_index=True,
    )
    c = c[c["who_id"].notna() & (c["crm_created"] <= c["ts"])]
    window = (
        c[["person", "ts"]]
        .reset_index()
        .merge(eng[["local", "start", "opp_created"]], left_on="person", right_on="local")
    )
    in_cycle_rows = (window["ts"] >= window["start"] - 14 * DAY) & (
        window["ts"] <= window["opp_created"] + 14 * DAY
    )
    in_cycle = c.index.isin(window.loc[in_cycle_rows, "index"])
    bad_fit = (c["kind"] != "employee").to_numpy() | (c["segment"] == "D").to_numpy()
    reason = np.select(
        [bad_fit, in_cycle, c["bad_data"].to_numpy().astype(bool)], ["Bad Fit", "", "Bad Data"], "Bad Timing"
    )
    c = c.assign(reason=reason)
    first = c[c["level"] == 1]
    again = c[(c["level"] == 2)].merge(
        first[["person", "ts", "reason"]], on="person", suffixes=("", "_first")
    )
    again = again[
        (again["reason_first"] == "Bad Timing")
        & (again["ts"] >= again["ts_first"] + MQL_REPEAT_GAP_DAYS * DAY)
    ]
    out = pd.concat([first, again[first.columns]], ignore_index=True).sort_values(
        ["ts", "person"], kind="stable"
    )
    decided = np.minimum(out["ts"].to_numpy() + rng.integers(1, 8, len(out)) * DAY, END_TS - 3600)
    return pd.DataFrame(
        {
            "person": out["person"].to_numpy(),
            "who_id": out["who_id"].to_numpy(),
            "who_kind": out["who_kind"].to_numpy(),
            "mql_ts": out["ts"].to_numpy(),
            "status": np.where(out["reason"] == "", "Accepted", "Rejected"),
            "reason": out["reason"].replace("", None).to_numpy(),
            "decided_ts": decided,
        }
    )


def _spawn_between(
    rng: np.random.Generator, rate: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    counts = rng.poisson(np.where(hi > lo, rate, 0))
    pos = np.repeat(np.arange(len(rate)), counts)
    return pos, lo[pos] + (rng.random(len(pos)) * (hi[pos] - lo[pos])).astype(np.int64)


def tasks(rng: np.random.Generator, p: pd.DataFrame, eng: pd.DataFrame, mqls: pd.DataFrame) -> pd.DataFrame:
    """Sales outreach logged as tasks: around buying cycles, cold prospecting, and MQL follow-up."""
    has_who = p["who_id"].notna().to_numpy()
    crm_created = p["crm_created"].to_numpy()
    parts = []
    # Around buying cycles (meetings, demos, pricing replies), tied to the deal when there is one.
    e = eng[has_who[eng["local"].to_numpy()]]
    has_opp, start, opp_created = e["has_opp"].to_numpy(), e["start"].to_numpy(), e["opp_created"].to_numpy()
    lo = np.where(has_opp, opp_created - 14 * DAY, (start + opp_created) // 2)
    hi = np.where(has_opp, np.minimum(e["close"].to_numpy(), END_TS - 3600), opp_created).astype(np.int64)
    pos, ts = _spawn_between(rng, np.where(has_opp, 3.0, 1.0), lo, hi)
    parts.append(
        pd.DataFrame(
            {"person": e["local"].to_numpy()[pos], "ts": ts, "set": 0, "what": e["opp_id"].to_numpy()[pos]}
        )
    )
    # Cold prospecting of everyone in the CRM.
    owners = np.flatnonzero(has_who)
    pos, ts = _spawn_between(
        rng, np.full(len(owners), 0.8), crm_created[owners], np.full(len(owners), END_TS - 3600)
    )
    parts.append(pd.DataFrame({"person": owners[pos], "ts": ts, "set": 1, "what": None}))
    # Following up MQLs within days.
    m = mqls
    pos, ts = _spawn_between(
        rng,
        np.full(len(m), 1.5),
        m["mql_ts"].to_numpy() + 3600,
        np.minimum(m["mql_ts"].to_numpy() + 5 * DAY, END_TS - 3600),
    )
    parts.append(pd.DataFrame({"person": m["person"].to_numpy()[pos], "ts": ts, "set": 2, "what": None}))
    t = pd.concat(parts, ignore_index=True)
    t["ts"] = np.minimum(
        np.maximum(t["ts"].to_numpy(), crm_created[t["person"].to_numpy()] + 3600), END_TS - 3600
    )
    t = t.sort_values(["ts", "person"], kind="stable").reset_index(drop=True)
    n = len(t)
    subject_sets = (vocab.TASK_SUBJECTS_CYCLE, vocab.TASK_SUBJECTS_PROSPECTING, vocab.TASK_SUBJECTS_MQL)
    all_subjects = [s for group in subject_sets for s in group]
    offsets = np.cumsum([0] + [len(g) for g in subject_sets])[:-1]
    sizes = np.array([len(g) for g in subject_sets])
    pick = offsets[t["set"]] + (rng.random(n) * sizes[t["set"]]).astype(int)
    ttype = np.array([s[0] for s in all_subjects], dtype=object)[pick]
    person = t["person"].to_numpy()
    is_contact = p["who_kind"].to_numpy()[person] == "contact"
    account = np.where(is_contact, p["account_id"].to_numpy()[person], None)
    what = t["what"].to_numpy()
    what = np.where(pd.isna(what), account, what)
    descriptions = np.array(vocab.TASK_DESCRIPTIONS, dtype=object)
    return pd.DataFrame(
        {
            "WhoId": p["who_id"].to_numpy()[person],
            "WhatId": what,
            "AccountId": account,
            "OwnerId": p["owner_id"].to_numpy()[person],
            "Subject": np.array([s[1] for s in all_subjects], dtype=object)[pick],
            "Type": ttype,
            "TaskSubtype": pd.Series(ttype)
            .map({"Call": "Call", "Email": "Email", "Meeting": "Task"})
            .to_numpy(),
            "Status": "Completed",
            "CallDurationInSeconds": pd.Series(rng.integers(45, 1800, n)).where(ttype == "Call", None),
            "ActivityDate": t["ts"].to_numpy(),
            "IsDeleted": False,
            "CreatedDate": t["ts"].to_numpy() + 300,
            "SystemModstamp": np.minimum(t["ts"].to_numpy() + 300 + rng.integers(0, 3 * DAY, n), END_TS - 1),
            "Description": descriptions[rng.integers(0, len(descriptions), n)],
            "_person": person,
        }
    )


def campaign_members(events: Events, p: pd.DataFrame, campaign_start: np.ndarray) -> pd.DataFrame:
    """One member row per (CRM person, campaign) with the best status the person reached."""
    has_who = p["who_id"].notna().to_numpy()
    sel = (events.campaign >= 0) & has_who[events.person]
    e, d = events.etype[sel], events.detail[sel]
    code = np.select(
        [
            e == ATTEND,
            e == CLICK,
            (e == FORM) & (d == _WEBINAR_FORM),
            e == FORM,
            np.isin(e, (SEND, DELIVERED, OPEN)),
        ],
        [4, 3, 1, 3, 0],
        -1,
    )
    df = pd.DataFrame(
        {"person": events.person[sel], "campaign": events.campaign[sel], "ts": events.ts[sel], "code": code}
    )
    df = df[df["code"] >= 0]
    df["resp_ts"] = np.where(df["code"] >= 3, df["ts"], np.iinfo(np.int64).max)
    g = (
        df.groupby(["person", "campaign"], sort=True)
        .agg(code=("code", "max"), ts=("ts", "min"), resp_ts=("resp_ts", "min"))
        .reset_index()
    )
    future = campaign_start[g["campaign"].to_numpy()] >= END_TS
    status = np.select(
        [g["code"] == 4, g["code"] == 3, (g["code"] == 1) & future, g["code"] == 1],
        ["Attended", "Responded", "Registered", "No Show"],
        "Sent",
    )
    g["status"] = status
    g["responded"] = g["code"] >= 3
    return g
