"""Fragments rendered once per content (www/fragments.py): the key is the whole context, so it must be plain."""

import pytest

from citemploi.www.fragments import render_once
from tests.factories.accounts import StructureFactory

TEMPLATE = "evaluation/_funnel_figures.html"
FIGURES = {"by": "qpv", "steps": ["Repérées"], "chart": None, "rows": [], "delay_labels": []}


def test_a_context_that_is_not_plain_data_is_refused():
    """A model instance (or a request, a user) could change the HTML without changing the key."""
    with pytest.raises(TypeError, match="not plain data"):
        render_once(TEMPLATE, {**FIGURES, "rows": [object()]})


@pytest.mark.django_db
def test_a_model_instance_is_refused_too():
    with pytest.raises(TypeError, match="Structure"):
        render_once(TEMPLATE, {**FIGURES, "by": StructureFactory()})


def test_other_figures_give_other_html():
    first = render_once(TEMPLATE, FIGURES)
    assert render_once(TEMPLATE, FIGURES) == first
    other = render_once(TEMPLATE, {**FIGURES, "steps": ["Contactées"]})
    assert "Contactées" in other and "Contactées" not in first
