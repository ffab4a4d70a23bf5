"""The summary's plain-text layout."""

from orchestration.summary import format_summary


def test_values_align_in_one_column_and_explanations_stand_alone() -> None:
    text = format_summary({"marts": [("marts.dim_persons", "1,228"), ("x", "5")], "why": [("because", "")]})
    assert text.splitlines() == [
        "",
        "marts",
        "  marts.dim_persons         1,228",
        "  x                             5",
        "",
        "why",
        "  because",
    ]
