"""Sizes of the synthetic world, one preset per use: demo and tests, a realistic mid-size run, a benchmark.

A preset only says how big the world is and how files are written; the rules of the world and
the mess rates are the same in every preset so that small-preset tests speak for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Preset:
    name: str
    n_companies: int  # true companies; about three quarters end up as CRM accounts
    n_users: int  # CRM users (sales and marketing)
    n_anonymous_visitors: int  # web visitors that are nobody the CRM or Marketo knows
    activity_scale: float  # multiplies every per-person activity rate
    persons_per_chunk: int  # activities are generated and written this many persons at a time
    big_format: str  # "csv" (map/activity CSV, web/page_view JSON lines) or "parquet"
    rows_per_part: int  # a streamed big file is split into parts of about this many rows (0: one file)


PRESETS: dict[str, Preset] = {
    "small": Preset("small", 160, 12, 400, 1.0, 100_000, "csv", 0),
    "medium": Preset("medium", 4_500, 60, 15_000, 1.15, 20_000, "csv", 0),
    "large": Preset("large", 150_000, 400, 400_000, 0.9, 60_000, "parquet", 8_000_000),
}

# The simulated extract: every file is "as of" this instant, history runs two years back.
EXTRACT_DATE = datetime(2026, 11, 20, tzinfo=UTC)
HISTORY_DAYS = 730
END_TS = int(EXTRACT_DATE.timestamp())
START_TS = END_TS - HISTORY_DAYS * 86_400
DAY = 86_400
