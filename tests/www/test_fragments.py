"""Fragments kept until the data changes (www/fragments.py): built once per key, built again after a write."""

import pytest

from citemploi.www.fragments import render_kept
from tests.factories.accounts import StructureFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "evaluation/_funnel_figures.html"


def _figures(label: str) -> dict:
    return {"by": "qpv", "steps": [label], "chart": None, "rows": [], "delay_labels": []}


def test_a_fragment_is_built_once_per_key_until_the_data_changes():
    built = []

    def context(label="Repérées"):
        built.append(label)
        return _figures(label)

    first = render_kept(TEMPLATE, key=("a",), context=context)
    assert render_kept(TEMPLATE, key=("a",), context=context) == first and built == ["Repérées"]
    other = render_kept(TEMPLATE, key=("b",), context=lambda: context("Contactées"))
    assert "Contactées" in other and "Contactées" not in first
    StructureFactory()  # any write to a watched table
    render_kept(TEMPLATE, key=("a",), context=context)
    assert built == ["Repérées", "Contactées", "Repérées"]
