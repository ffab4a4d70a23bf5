"""Behaviour over two years, generated a chunk of persons at a time: web browsing, forms, webinars, email.

Each chunk yields plain event arrays (person, time, Marketo activity type, detail) that the extract
renderers turn into map/activity rows, web/page_view rows and, in sales.py, CRM tasks, campaign
members and MQL dispositions. The hidden rules live here:
- committee members of a buying cycle visit pricing, integration and demo pages and ask for demos in
  the weeks before the opportunity;
- students and hobbyists read, download and attend a lot, and never buy;
- competitors, researchers and job seekers look at pricing too (job seekers also at /careers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.generator import vocab
from orchestration.generator.presets import DAY, END_TS, START_TS

# Marketo activity type ids used as internal event codes.
VISIT, FORM, CLICK_LINK, SEND, DELIVERED, BOUNCE, SOFT_BOUNCE, UNSUB, OPEN, CLICK, MERGE, ATTEND = (
    1,
    2,
    3,
    6,
    7,
    8,
    27,
    9,
    10,
    11,
    32,
    100001,
)

PATHS = vocab.ALL_PATHS
_PATH_INDEX = {p: i for i, p in enumerate(PATHS)}
PAGE_GROUPS = {
    "content": np.array([_PATH_INDEX[p] for p in vocab.CONTENT_PAGES]),
    "intent": np.array([_PATH_INDEX[p] for p in vocab.INTENT_PAGES + vocab.PRICING_PAGES * 2]),
    "pricing": np.array([_PATH_INDEX[p] for p in vocab.PRICING_PAGES * 3 + vocab.INTENT_PAGES[3:]]),
    "careers": np.array([_PATH_INDEX[p] for p in vocab.CAREER_PAGES + vocab.PRICING_PAGES]),
}
GROUP_CODES = {name: k for k, name in enumerate(PAGE_GROUPS)}
FORM_INDEX = {f: i for i, f in enumerate(vocab.FORM_NAMES)}
KIND_CODES = {
    k: i for i, k in enumerate(("employee", "student", "hobbyist", "job_seeker", "researcher", "competitor"))
}

# Per-person rates over the two years (times the person's activity level and the preset scale),
# by kind in KIND_CODES order: employee, student, hobbyist, job seeker, researcher, competitor.
BACKGROUND_SESSIONS = np.array([5.0, 14.0, 10.0, 4.0, 6.0, 4.0])
NOISE_PRICING_SESSIONS = np.array([0.6, 0.3, 0.3, 4.0, 4.0, 5.0])
CONTENT_FORMS = np.array([1.2, 6.0, 3.5, 0.4, 2.0, 0.8])
EMAIL_SENDS_PER_MONTH = 0.9
OPEN_RATE = np.array([0.22, 0.45, 0.35, 0.15, 0.25, 0.2])
CLICK_GIVEN_OPEN = 0.22
CYCLE_SESSIONS = 4.5
CYCLE_INTENT_FORMS = 0.9
MAP_VISIT_TRACKED = 0.7  # page views of known Marketo persons that Munchkin also records
REVERSE_IP_RESOLVED = 0.35  # office sessions of employees that resolve to the company domain


@dataclass
class Events:
    """Events of one chunk; web page views keep their session and visitor, Marketo rows their lead."""

    person: np.ndarray
    ts: np.ndarray
    etype: np.ndarray
    detail: np.ndarray  # path index (visits), form index, email index or campaign position (attend)
    campaign: np.ndarray  # campaign position or -1
    session: np.ndarray  # global session number (visits) or -1
    utm: np.ndarray  # utm tag index or -1
    landing: np.ndarray  # first page of its session


def _spawn(rng: np.random.Generator, owner: np.ndarray, rate: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Poisson(rate) events per owner at uniform times in [lo, hi); returns owner positions and times."""
    counts = rng.poisson(np.where(hi > lo, rate, 0.0))
    pos = np.repeat(np.arange(len(owner)), counts)
    ts = lo[pos] + (rng.random(len(pos)) * (hi[pos] - lo[pos])).astype(np.int64)
    return pos, ts


def _pick_group_pages(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    out = np.empty(len(group), dtype=np.int64)
    for name, code in GROUP_CODES.items():
        mask = group == code
        pages = PAGE_GROUPS[name]
        out[mask] = pages[rng.integers(0, len(pages), int(mask.sum()))]
    return out


def sessions_to_views(
    rng: np.random.Generator, person: np.ndarray, ts: np.ndarray, group: np.ndarray, first_session: int
) -> Events:
    """Expand sessions into page views: 1 + Poisson(1.3) pages a minute or two apart, landing page first."""
    n_pages = 1 + rng.poisson(1.3, len(person))
    s = np.repeat(np.arange(len(person)), n_pages)
    starts = np.cumsum(n_pages) - n_pages
    k = np.arange(len(s)) - starts[s]
    view_ts = ts[s] + k * rng.integers(20, 240, len(s))
    landing = k == 0
    utm = np.where(landing & (rng.random(len(s)) < 0.2), rng.integers(0, len(vocab.UTM_TAGS), len(s)), -1)
    return Events(
        person=person[s],
        ts=view_ts,
        etype=np.full(len(s), VISIT),
        detail=_pick_group_pages(rng, group[s]),
        campaign=np.full(len(s), -1),
        session=first_session + s,
        utm=utm,
        landing=landing,
    )


def _concat(parts: list[Events]) -> Events:
    return Events(*[np.concatenate([getattr(p, f) for p in parts]) for f in Events.__dataclass_fields__])


def _events(person, ts, etype, detail, campaign=None) -> Events:
    n = len(person)
    return Events(
        person=np.asarray(person, dtype=np.int64),
        ts=np.asarray(ts, dtype=np.int64),
        etype=np.broadcast_to(np.asarray(etype, dtype=np.int64), (n,)).copy(),
        detail=np.asarray(detail, dtype=np.int64),
        campaign=np.full(n, -1, dtype=np.int64) if campaign is None else np.asarray(campaign, dtype=np.int64),
        session=np.full(n, -1, dtype=np.int64),
        utm=np.full(n, -1, dtype=np.int64),
        landing=np.zeros(n, dtype=bool),
    )


@dataclass
class CampaignCalendar:
    """Where events find their CRM campaign: next webinar, this year's offer, this month's newsletter."""

    webinar_ts: np.ndarray
    webinar_pos: np.ndarray
    content_pos_by_year: np.ndarray  # (2, 4): year, offer
    newsletter_pos: np.ndarray  # by month index

    @classmethod
    def from_campaigns(cls, campaigns: pd.DataFrame) -> CampaignCalendar:
        web = campaigns[campaigns["Type"] == "Webinar"]
        content = np.flatnonzero((campaigns["Type"] == "Content").to_numpy()).reshape(2, -1)
        news = np.flatnonzero(campaigns["Name"].str.startswith("Email: Newsletter").to_numpy())
        return cls(web["_start"].to_numpy(), web.index.to_numpy(), content, news)

    def next_webinar(self, ts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = np.minimum(np.searchsorted(self.webinar_ts, ts), len(self.webinar_ts) - 1)
        return self.webinar_pos[k], self.webinar_ts[k]


def person_events(
    rng: np.random.Generator,
    p: pd.DataFrame,
    eng: pd.DataFrame,
    calendar: CampaignCalendar,
    scale: float,
    first_session: int,
) -> tuple[Events, Events]:
    """All events of a chunk of persons: (web page views, Marketo-only events).

    ``p`` holds the chunk's persons (kind_code, level, active_from, map_id, map_created, company_idx);
    ``eng`` their engagements (local person position, cycle start, opportunity creation).
    """
    n = len(p)
    kind = p["kind_code"].to_numpy()
    level = p["level"].to_numpy() * scale
    lo = p["active_from"].to_numpy()
    hi = np.full(n, END_TS - 3600, dtype=np.int64)
    owner = np.arange(n)

    # --- Web sessions: background reading, noise pricing/careers, buying-cycle intent.
    pos_b, ts_b = _spawn(rng, owner, BACKGROUND_SESSIONS[kind] * level, lo, hi)
    pos_n, ts_n = _spawn(rng, owner, NOISE_PRICING_SESSIONS[kind] * level, lo, hi)
    noise_group = np.where(
        kind[pos_n] == KIND_CODES["job_seeker"], GROUP_CODES["careers"], GROUP_CODES["pricing"]
    )
    e_person = eng["local"].to_numpy()
    # A cycle still running at the extract date has engagement up to the extract date only.
    eng_hi = np.minimum(eng["opp_created"].to_numpy(), END_TS - 3600)
    pos_c, ts_c = _spawn(
        rng,
        e_person,
        np.full(len(eng), CYCLE_SESSIONS) * np.sqrt(level[e_person]),
        eng["start"].to_numpy(),
        eng_hi,
    )
    sess_person = np.concatenate([pos_b, pos_n, e_person[pos_c]])
    sess_ts = np.concatenate([ts_b, ts_n, ts_c])
    sess_group = np.concatenate(
        [np.full(len(pos_b), GROUP_CODES["content"]), noise_group, np.full(len(pos_c), GROUP_CODES["intent"])]
    )
    views = sessions_to_views(rng, sess_person, sess_ts, sess_group, first_session)
    views.ts = np.minimum(views.ts, END_TS - 1)

    # --- Marketo-only events need a Marketo lead.
    map_created = p["map_created"].to_numpy()
    known = p["map_id"].to_numpy() >= 0
    mlo = np.maximum(lo, map_created)
    rate_known = np.where(known, 1.0, 0.0)
    parts: list[Events] = []

    # Content forms: downloads, newsletter, webinar registrations (and attendance).
    pos_f, ts_f = _spawn(rng, owner, CONTENT_FORMS[kind] * level * rate_known, mlo, hi)
    form_kind = rng.choice(4, len(pos_f), p=(0.3, 0.25, 0.15, 0.3))  # whitepaper, ebook, newsletter, webinar
    form_idx = np.where(
        form_kind < 3,
        np.array([FORM_INDEX[f] for f in vocab.FORMS_CONTENT])[np.minimum(form_kind, 2)],
        FORM_INDEX[vocab.WEBINAR_REGISTRATION_FORM],
    )
    web_camp, web_ts = calendar.next_webinar(ts_f)
    year = np.clip((ts_f - START_TS) // (365 * DAY), 0, 1)
    content_camp = calendar.content_pos_by_year[
        year, rng.integers(0, calendar.content_pos_by_year.shape[1], len(ts_f))
    ]
    campaign = np.select([form_kind < 2, form_kind == 3], [content_camp, web_camp], -1)
    parts.append(_events(pos_f, ts_f, FORM, form_idx, campaign))
    is_reg = (form_kind == 3) & (web_ts > ts_f) & (web_ts < END_TS)
    attend_p = np.where(kind[pos_f] == KIND_CODES["student"], 0.7, 0.5)
    attends = is_reg & (rng.random(len(pos_f)) < attend_p)
    parts.append(
        _events(
            pos_f[attends],
            web_ts[attends] + rng.integers(0, 600, int(attends.sum())),
            ATTEND,
            web_camp[attends],
            web_camp[attends],
        )
    )

    # Buying-cycle intent forms: demo requests, contact sales, free trials, and webinars.
    eng_known = known[e_person]
    pos_i, ts_i = _spawn(
        rng,
        e_person,
        CYCLE_INTENT_FORMS * eng_known,
        np.maximum(eng["start"].to_numpy(), mlo[e_person]),
        eng_hi,
    )
    intent_idx = np.array([FORM_INDEX[f] for f in vocab.FORMS_INTENT])[
        rng.choice(3, len(pos_i), p=(0.5, 0.25, 0.25))
    ]
    parts.append(_events(e_person[pos_i], ts_i, FORM, intent_idx))
    pos_w, ts_w = _spawn(
        rng,
        e_person,
        0.5 * eng_known,
        np.maximum(eng["start"].to_numpy(), mlo[e_person]),
        eng_hi,
    )
    w_camp, w_ts = calendar.next_webinar(ts_w)
    ok = w_ts < END_TS
    parts.append(_events(e_person[pos_w][ok], w_ts[ok] + 60, ATTEND, w_camp[ok], w_camp[ok]))

    # Email programme: sends, deliveries, bounces, opens, clicks, unsubscribes.
    months = np.maximum(hi - mlo, 0) / (30 * DAY)
    pos_s, ts_s = _spawn(rng, owner, EMAIL_SENDS_PER_MONTH * months * rate_known * scale, mlo, hi)
    email_idx = rng.integers(0, len(vocab.EMAIL_NAMES), len(pos_s))
    month = np.clip((ts_s - START_TS) // (30 * DAY), 0, len(calendar.newsletter_pos) - 1)
    e_camp = np.where((email_idx == 0) & (ts_s >= START_TS), calendar.newsletter_pos[month], -1)
    u = rng.random(len(pos_s))
    delivered = u < 0.97
    hard = u > 0.99
    soft = ~delivered & ~hard
    opened = delivered & (rng.random(len(pos_s)) < OPEN_RATE[kind[pos_s]])
    clicked = opened & (rng.random(len(pos_s)) < CLICK_GIVEN_OPEN)
    unsub = delivered & (rng.random(len(pos_s)) < 0.006)
    # Nothing is sent after an unsubscribe or a hard bounce.
    stop = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(stop, pos_s[unsub | hard], ts_s[unsub | hard])
    keep = ts_s <= stop[pos_s]
    pos_s, ts_s, email_idx, e_camp = pos_s[keep], ts_s[keep], email_idx[keep], e_camp[keep]
    delivered, hard, soft, opened, clicked, unsub = (
        x[keep] for x in (delivered, hard, soft, opened, clicked, unsub)
    )
    open_ts = ts_s + rng.integers(600, 3 * DAY, len(ts_s))
    click_ts = open_ts + rng.integers(5, 600, len(ts_s))
    for mask, etype, t in (
        (np.ones(len(ts_s), bool), SEND, ts_s),
        (delivered, DELIVERED, ts_s + 30),
        (hard, BOUNCE, ts_s + 30),
        (soft, SOFT_BOUNCE, ts_s + 30),
        (opened, OPEN, open_ts),
        (clicked, CLICK, click_ts),
        (unsub, UNSUB, click_ts + 60),
    ):
        parts.append(
            _events(pos_s[mask], np.minimum(t[mask], END_TS - 1), etype, email_idx[mask], e_camp[mask])
        )

    # Link clicks on the site (Marketo "Click Link").
    pos_l, ts_l = _spawn(rng, owner, 0.6 * level * rate_known, mlo, hi)
    parts.append(
        _events(
            pos_l,
            ts_l,
            CLICK_LINK,
            PAGE_GROUPS["content"][rng.integers(0, len(PAGE_GROUPS["content"]), len(pos_l))],
        )
    )

    # Page views Munchkin recorded for known persons.
    tracked = (
        known[views.person]
        & (views.ts >= map_created[views.person])
        & (rng.random(len(views.ts)) < MAP_VISIT_TRACKED)
    )
    parts.append(_events(views.person[tracked], views.ts[tracked], VISIT, views.detail[tracked]))
    marketo = _concat(parts)
    return views, marketo
