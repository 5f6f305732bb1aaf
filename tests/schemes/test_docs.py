"""docs/eligibility.md documents every rule the engine can emit, and the database holds the seeded catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citemploi.schemes.engine import RULES, evaluate
from citemploi.schemes.engine.defaults import default_catalogue, parameter_rows
from citemploi.schemes.selectors import load_catalogue

DOC = Path(__file__).resolve().parents[2] / "docs" / "eligibility.md"


def test_every_rule_is_documented():
    documented = set(re.findall(r"`([a-z0-9_]+(?:\.[a-z0-9_]+)+)`", DOC.read_text(encoding="utf-8")))
    missing = sorted(set(RULES) - documented)
    assert not missing, f"Règles absentes de docs/eligibility.md : {missing}"


@pytest.mark.django_db
def test_the_database_is_seeded_with_the_default_catalogue():
    catalogue = load_catalogue()
    key = lambda p: (p.scheme, p.key, p.valid_from)  # noqa: E731
    assert sorted(catalogue.parameters, key=key) == sorted(parameter_rows(), key=key)
    assert {s.code for s in catalogue.schemes} == {s.code for s in default_catalogue().schemes}
    assert {(s.code, s.valid_from, s.valid_to) for s in catalogue.schemes} == {
        (s.code, s.valid_from, s.valid_to) for s in default_catalogue().schemes
    }


@pytest.mark.django_db
def test_eligibility_for_person_orders_and_counts_queries(max_queries):
    import datetime as dt

    from citemploi.schemes.engine import Profile
    from citemploi.schemes.selectors import eligibility_for_person

    with max_queries(2):
        results = eligibility_for_person(Profile(qpv_resident=True, rsa="majore"), dt.date(2025, 6, 1))
    answers = [r.answer for r in results]
    assert "not_eligible" in answers  # none is dropped (issue 11 §2)
    order = {"eligible": 0, "to_check": 1, "not_eligible": 2}
    assert answers == sorted(answers, key=order.get)
    assert evaluate  # the selector is the engine over the database catalogue
