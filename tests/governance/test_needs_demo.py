"""`citemploi demo load` gives the register of uncovered needs content (issue 15 §6): needs from each source in
several states, a proposal adopted at a meeting's decision with an experiment, and nothing more on a second run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from citemploi.accounts.models import User
from citemploi.governance.models import Need, NeedSignal, Proposal
from citemploi.pathways.models import UnmetOrientation
from tests.conftest import login_client

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[int, ...]:
    return (
        Need.objects.count(),
        NeedSignal.objects.count(),
        Proposal.objects.count(),
        UnmetOrientation.objects.count(),
        sum(NeedSignal.objects.values_list("count", flat=True)),
    )


def test_the_demo_fills_the_register_with_every_source_state_and_an_adopted_proposal(settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    assert "besoins non couverts" in out.getvalue()
    sources = set(NeedSignal.objects.values_list("source", flat=True))
    assert sources == {"aucune_solution", "frein_non_levable", "signalement"}
    states = set(Need.objects.values_list("state", flat=True))
    assert {"signale", "qualifie", "solution_proposee", "experimente", "couvert", "abandonne"} <= states
    adopted = Proposal.objects.exclude(decision=None).get()
    assert adopted.state == "experimentee" and adopted.census_action is not None
    assert adopted.need.state == "experimente" and adopted.roadmap_action.ref == "3.1.a"
    assert {"proposee", "ecartee"} <= set(Proposal.objects.values_list("state", flat=True))
    assert all("fictif" in p.text for p in Proposal.objects.all())
    _screens_have_content(adopted)
    before = _snapshot()
    call_command("demo", "load", stdout=io.StringIO())
    assert _snapshot() == before


def _screens_have_content(adopted: Proposal) -> None:
    """The demo coordinator and the demo State co-pilot read the map and the experiment (masked for the State)."""
    for email in ("coordination@demo.citemploi.test", "etat@demo.citemploi.test"):
        client = login_client(User.objects.get(email=email))
        page = client.get("/pilotage/besoins/carte/").content.decode()
        assert "leaflet" in page and "data-needs-table" in page
        need = client.get(f"/pilotage/besoins/{adopted.need.public_id}/").content.decode()
        assert "Résultats de l'expérimentation" in need and "Auto-école sociale" in need
