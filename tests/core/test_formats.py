"""The one French formatting helper (issue 10 item 10): numbers, amounts and ages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from citemploi.core.formats import age, at_age, fr_euros, fr_number
from citemploi.schemes.engine import Profile, evaluate
from citemploi.schemes.engine.defaults import default_catalogue

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, f"1{NNBSP}000"),
        (1234567, None, f"1{NNBSP}234{NNBSP}567"),
        (-12345, None, f"-12{NNBSP}345"),
        (1234.5, None, f"1{NNBSP}234,5"),
        (1234.5, 2, f"1{NNBSP}234,50"),
        (Decimal("552.29"), None, "552,29"),
        (None, None, ""),
        ("abc", None, "abc"),
    ],
)
def test_fr_number(value, decimals, expected):
    assert fr_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234.56, f"1{NNBSP}234,56{NBSP}€"),
        (500, f"500{NBSP}€"),
        (561.68, f"561,68{NBSP}€"),
        (Decimal("12000.00"), f"12{NNBSP}000{NBSP}€"),
        (0.5, f"0,50{NBSP}€"),
        (None, ""),
    ],
)
def test_fr_euros(value, expected):
    assert fr_euros(value) == expected


def test_age_and_at_age():
    assert age(41) == f"41{NBSP}ans"
    assert age(1) == f"1{NBSP}an"
    assert age(None) == ""
    assert at_age(41) == f"À 41{NBSP}ans"


def test_template_filters_render_french_figures():
    out = Template("{% load ui %}{{ n|fr_number }}|{{ m|fr_euros }}|{{ a|age }}").render(
        Context({"n": 12345, "m": 1234.56, "a": 41})
    )
    assert out == f"12{NNBSP}345|1{NNBSP}234,56{NBSP}€|41{NBSP}ans"


def test_eligibility_messages_read_a_41_ans_and_french_amounts():
    on = dt.date(2026, 12, 1)
    cej = next(
        r for r in evaluate(Profile(birth_date=dt.date(2004, 1, 1)), on, default_catalogue()) if r.scheme == "cej"
    )
    texts = [r.text for r in cej.reasons]
    assert f"À 22{NBSP}ans : dans la tranche de 16 à 25 ans révolus." in texts
    assert any(f"561,68{NBSP}€ par mois" in text for text in texts)
    assert not any(text.startswith("A ") for text in texts)
