"""Figures kept between page views (core/freshness.py, www/fragments.py): a viewer never gets another viewer's
figures, and a write shows on the next view — with the cache on, as in production."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.conftest import login_client
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db

QUERY = {"kind": "range", "start": "2025-01-01", "end": "2025-06-30", "by": "sex"}


def _row(html: str, indicator: str) -> str:
    return re.search(rf'data-indicator="{indicator}".*?</tr>', html, re.S).group(0)


def _page(world, persona: str, name: str = "evaluation:dashboard") -> str:
    response = login_client(world.users[persona]).get(reverse(name), QUERY)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["evaluation:dashboard", "evaluation:funnel"])
def test_the_figures_kept_for_the_coordinator_are_never_shown_unmasked_to_the_state(cohort, world, name):
    coordinator = _page(world, "coordinator", name)
    assert "data-masked" not in coordinator
    for _ in range(2):  # the second view reads what the first kept
        state = _page(world, "state_copilot", name)
        assert "data-masked" in state and "evaluation/personnes/" not in state
    assert "data-masked" not in _page(world, "coordinator", name)


def test_a_caseworker_gets_their_own_caseload_after_the_coordinator(cohort, world):
    _page(world, "coordinator")
    html = _page(world, "outsider")
    assert "Votre file active" in html and "Prénom" not in html


def test_a_new_person_shows_on_the_next_view(cohort, world):
    before = _row(_page(world, "coordinator"), "spotted")
    assert _row(_page(world, "coordinator"), "spotted") == before  # kept
    make_person(by=world.users["referent"], spotted_on=dt.date(2025, 3, 3))
    after = _row(_page(world, "coordinator"), "spotted")
    assert after != before
    counts = [int(n) for n in re.findall(r">(\d+)<", before)], [int(n) for n in re.findall(r">(\d+)<", after)]
    assert counts[1][0] == counts[0][0] + 1
