"""docs/indicators.md is the registry's rendering: this test fails when someone changes an indicator without
regenerating it (``citemploi indicators docs``)."""

from pathlib import Path

from citemploi.evaluation.docs import render
from citemploi.evaluation.registry import CONTRACT_IDS, indicators

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_docs_indicators_is_generated_from_the_registry():
    assert DOC.read_text(encoding="utf-8") == render(), "docs/indicators.md est périmé : citemploi indicators docs"


def test_every_indicator_is_declared_once_with_a_definition():
    ids = [i.id for i in indicators()]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if i in CONTRACT_IDS] == list(CONTRACT_IDS)
    for i in indicators():
        assert len(str(i.definition)) > 40 and str(i.label) and str(i.unit)


def test_a_bad_period_is_refused_in_french():
    import pytest

    from citemploi.core.errors import ValidationFailed
    from citemploi.evaluation.periods import Period, period_from

    for start, end in (("2025-02-30", "2025-03-01"), ("9999-12-31", "9999-12-31"), ("2025-03-01", "2025-01-01")):
        with pytest.raises(ValidationFailed):
            period_from(start, end)
    assert Period.__name__ and period_from("2025-02-10", "", "quarter").end.isoformat() == "2025-03-31"
