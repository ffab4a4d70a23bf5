"""What the end-to-end tests know about the kept learning backtest, worked out apart from the SQL."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

# The tables that keep their train and test rows between retrain dates (int_learning_cutoffs).
BACKTESTS = ("int_learning_examples", "int_learning_features", "int_learning_rule_scores")
LEARNING_SETTINGS = Path(__file__).parents[2] / "seeds" / "learning" / "learning_settings.csv"


def cutoff_spacings() -> set[int]:
    """The shipped models' cutoff_every_days, from the seed."""
    with LEARNING_SETTINGS.open(newline="", encoding="utf-8") as settings:
        return {int(row["cutoff_every_days"]) for row in csv.DictReader(settings)}


def retrain_date(as_of: date, every_days: int) -> date:
    """The scoring date rounded down to a multiple of every_days days since 1970-01-01."""
    epoch = date(1970, 1, 1)
    return epoch + timedelta(days=(as_of - epoch).days // every_days * every_days)
