"""Sample-data generator: a synthetic B2B world rendered as CRM, marketing-automation and web extracts.

``generate(preset, landing_dir, truth_dir, seed)`` writes the extracts into the landing folder
and the hidden truth (who is who, which accounts are ideal, which deals were real) beside it.
"""

from orchestration.generator.generate import GenerationSummary, generate
from orchestration.generator.mess import MESS_RATES, MessRates
from orchestration.generator.presets import EXTRACT_DATE, PRESETS, Preset
from orchestration.generator.vocab import ACTIVITY_TYPES, TITLE_CATALOGUE

__all__ = [
    "ACTIVITY_TYPES",
    "EXTRACT_DATE",
    "MESS_RATES",
    "PRESETS",
    "TITLE_CATALOGUE",
    "GenerationSummary",
    "MessRates",
    "Preset",
    "generate",
]
