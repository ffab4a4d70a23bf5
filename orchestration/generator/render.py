"""Turn a chunk's events into extract rows: Marketo activity rows and web page views (pyarrow tables).

Text columns are looked up from small vocabularies by integer code (pyarrow ``take``), so that tens
of millions of rows cost array operations, not Python strings per row.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator import vocab
from orchestration.generator.activities import (
    ATTEND,
    BOUNCE,
    CLICK,
    CLICK_LINK,
    DELIVERED,
    FORM,
    MERGE,
    OPEN,
    PATHS,
    SEND,
    SOFT_BOUNCE,
    UNSUB,
    VISIT,
    Events,
)
from orchestration.generator.ids import hex_ids

UTM_CAMPAIGNS = ("brand", "abm-data-leaders", "monthly-digest", "nurture", "reviews")
EMAIL_TYPES = (SEND, DELIVERED, BOUNCE, SOFT_BOUNCE, UNSUB, OPEN, CLICK)


def to_timestamp(ts: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(ts, dtype=np.int64), type=pa.int64()).cast(pa.timestamp("s", tz="UTC"))


class MapVocabulary:
    """Primary attribute value, its id and the attributes JSON for every (activity type, detail) code."""

    def __init__(self, campaigns: pd.DataFrame) -> None:
        self.offsets: dict[int, int] = {}
        values: list[str | None] = []
        value_ids: list[str | None] = []
        attributes: list[str] = []

        def block(etype: int, items: list[tuple[str, str, dict]]) -> None:
            self.offsets[etype] = len(values)
            for value, value_id, attrs in items:
                values.append(value)
                value_ids.append(value_id)
                attributes.append(json.dumps(attrs, separators=(",", ":")))

        pages = [
            (vocab.SITE + p, str(100 + i), {"Webpage ID": 100 + i, "Query Parameters": None})
            for i, p in enumerate(PATHS)
        ]
        block(VISIT, pages)
        block(
            CLICK_LINK, [(v, i, {"Link ID": int(i), "Referrer URL": vocab.SITE + "/"}) for v, i, _ in pages]
        )
        block(
            FORM,
            [(f, str(1000 + i), {"Form Name": f, "Webpage ID": 100}) for i, f in enumerate(vocab.FORM_NAMES)],
        )
        for etype in EMAIL_TYPES:
            details = {"Campaign Run ID": 1}
            if etype in (BOUNCE, SOFT_BOUNCE):
                details = {
                    "Category": "1" if etype == BOUNCE else "4",
                    "Details": "550 5.1.1 mailbox unavailable" if etype == BOUNCE else "452 mailbox full",
                }
            block(
                etype,
                [
                    (e, str(2000 + i), {"Mailing ID": 2000 + i, **details})
                    for i, e in enumerate(vocab.EMAIL_NAMES)
                ],
            )
        block(
            ATTEND,
            [
                (name, str(5000 + i), {"Webinar": name, "Duration Minutes": 45})
                for i, name in enumerate(campaigns["Name"])
            ],
        )
        self.values = pa.array(values, pa.string())
        self.value_ids = pa.array(value_ids, pa.string())
        self.attributes = pa.array(attributes, pa.string())
        self.merge_attributes = json.dumps(
            {"Merge Source": "Lead Database", "Master Updated": True}, separators=(",", ":")
        )

    def code(self, etype: np.ndarray, detail: np.ndarray) -> np.ndarray:
        offset = np.zeros(len(etype), dtype=np.int64)
        for t, o in self.offsets.items():
            offset[etype == t] = o
        return offset + detail


def map_activity_table(
    map_vocab: MapVocabulary,
    events: Events,
    lead_id: np.ndarray,
    merges: pd.DataFrame,
    campaign_ids: np.ndarray,
    first_id: int,
) -> pa.Table:
    """Marketo activity rows for a chunk, time-ordered, merges (type 32) included."""
    order = np.argsort(events.ts, kind="stable")
    etype, detail, ts, camp, lead = (
        events.etype[order],
        events.detail[order],
        events.ts[order],
        events.campaign[order],
        lead_id[order],
    )
    code = pa.array(map_vocab.code(etype, detail))
    n, k = len(etype), len(merges)
    merge_values = pa.array(merges["loser_id"].astype(str).to_numpy(), pa.string())
    names = pa.array([vocab.ACTIVITY_TYPES[t] for t in sorted(vocab.ACTIVITY_TYPES)], pa.string())
    type_pos = np.searchsorted(
        np.array(sorted(vocab.ACTIVITY_TYPES)), np.concatenate([etype, np.full(k, MERGE)])
    )
    camp_all = np.concatenate([camp, np.full(k, -1)])
    campaign = pa.array(campaign_ids, pa.string()).take(pa.array(np.maximum(camp_all, 0)))
    campaign = pc.if_else(pa.array(camp_all >= 0), campaign, pa.scalar(None, pa.string()))
    table = pa.table(
        {
            "id": pa.array(first_id + np.arange(n + k, dtype=np.int64)),
            "leadId": pa.array(np.concatenate([lead, merges["winner_id"].to_numpy(dtype=np.int64)])),
            "activityDate": to_timestamp(np.concatenate([ts, merges["merge_ts"].to_numpy(dtype=np.int64)])),
            "activityTypeId": pa.array(np.concatenate([etype, np.full(k, MERGE)]).astype(np.int64)),
            "activityTypeName": names.take(pa.array(type_pos)),
            "primaryAttributeValueId": pa.concat_arrays(
                [map_vocab.value_ids.take(code), pa.nulls(k, pa.string())]
            ),
            "primaryAttributeValue": pa.concat_arrays([map_vocab.values.take(code), merge_values]),
            "campaignId": campaign,
            "attributes": pa.concat_arrays(
                [map_vocab.attributes.take(code), pa.array([map_vocab.merge_attributes] * k, pa.string())]
            ),
        }
    )
    return table


class WebVocabulary:
    """Full URLs with and without UTM query strings, and the referrers of landing pages."""

    def __init__(self) -> None:
        urls, sources, mediums, campaigns = [], [], [], []
        for path in PATHS:
            for u in range(-1, len(vocab.UTM_TAGS)):
                if u < 0:
                    urls.append(vocab.SITE + path)
                    sources.append(None)
                    mediums.append(None)
                    campaigns.append(None)
                else:
                    src, med = vocab.UTM_TAGS[u]
                    urls.append(
                        f"{vocab.SITE}{path}?utm_source={src}&utm_medium={med}&utm_campaign={UTM_CAMPAIGNS[u]}"
                    )
                    sources.append(src)
                    mediums.append(med)
                    campaigns.append(UTM_CAMPAIGNS[u])
        self.width = len(vocab.UTM_TAGS) + 1
        self.urls = pa.array(urls, pa.string())
        self.sources = pa.array(sources, pa.string())
        self.mediums = pa.array(mediums, pa.string())
        self.campaigns = pa.array(campaigns, pa.string())
        self.referrers = pa.array([*vocab.REFERRERS, vocab.SITE + "/", None], pa.string())


def page_view_table(
    web_vocab: WebVocabulary,
    ts: np.ndarray,
    path: np.ndarray,
    utm: np.ndarray,
    landing: np.ndarray,
    session: np.ndarray,
    visitor_ids: pa.Array,
    email: pa.Array,
    company_domain: pa.Array,
    first_event: int,
) -> pa.Table:
    """Web page views (time-ordered); email and company domain arrive already resolved per row."""
    order = np.argsort(ts, kind="stable")
    n = len(ts)
    url_code = pa.array(path[order] * web_vocab.width + utm[order] + 1)
    ext_ref = (session[order] * 40503) % (len(vocab.REFERRERS) + 4)  # a few direct visits (no referrer)
    ref_code = np.where(
        landing[order],
        np.where(ext_ref < len(vocab.REFERRERS), ext_ref, len(vocab.REFERRERS) + 1),
        len(vocab.REFERRERS),
    )
    idx = pa.array(order)
    return pa.table(
        {
            "event_id": pa.array(hex_ids("pv", first_event + np.arange(n), 14)),
            "visitor_id": visitor_ids.take(idx),
            "session_id": pa.array(hex_ids("s", session[order], 12)),
            "viewed_at": to_timestamp(ts[order]),
            "url": web_vocab.urls.take(url_code),
            "referrer": web_vocab.referrers.take(pa.array(ref_code)),
            "utm_source": web_vocab.sources.take(url_code),
            "utm_medium": web_vocab.mediums.take(url_code),
            "utm_campaign": web_vocab.campaigns.take(url_code),
            "email": email.take(idx),
            "company_domain": company_domain.take(idx),
        }
    )
