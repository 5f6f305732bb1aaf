"""The COPIL pack page in Chromium: reached from the meeting page, axe-core finds no serious or critical violation
at 1366 and 390 px (coordinator's version and the masked one), the charts and the map fit the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.governance.models import Decision, Instance, InstanceKind, InstanceMember
from tests.browser.conftest import axe_violations, follow, login
from tests.factories.accounts import TEST_PASSWORD, StructureFactory, user_with_role
from tests.factories.governance import meeting
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scene():
    coordination = StructureFactory(coordination=True)
    relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
    coordinator = user_with_role(Role.COORDINATOR, coordination, email="coord@exemple.test", is_demo_account=True)
    referent = user_with_role(Role.RELAIS_AGENT, relais, email="ref@exemple.test")
    copil = Instance.objects.create(kind=InstanceKind.COPIL, name="COPIL de test")
    InstanceMember.objects.create(instance=copil, structure=relais)
    earlier = meeting(copil, days=-90, title="COPIL précédent")
    held = meeting(copil, days=-5, title="COPIL tenu")
    held.items.create(title="Bilan du trimestre", position=1)
    Decision.objects.create(
        meeting=earlier, text="Décision en retard", owner_structure=relais, deadline=timezone.localdate()
    )
    for _ in range(9):
        make_person(by=referent, spotted_on=timezone.localdate() - dt.timedelta(days=20))
    return coordinator, held


def _check(page, label: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{label} à {width} px"
        widths = page.eval_on_selector_all(".pack svg", "nodes => nodes.map(n => n.getBoundingClientRect().width)")
        assert widths and all(0 < w <= width for w in widths), label


def test_the_pack_page_is_accessible_at_both_widths(page, live_server, settings):
    settings.DEMO_MODE = True  # the demo coordinator skips the second factor, as in the other journeys
    _coordinator, held = _scene()
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/pilotage/reunions/{held.public_id}/")
    follow(page.get_by_role("link", name="Voir le dossier en ligne"))
    assert page.get_by_role("heading", name="Dossier du COPIL", level=1).is_visible()
    _check(page, "dossier (coordination)")
    follow(page.get_by_role("link", name="Voir la version masquée (instances)"))
    assert page.get_by_text("effectifs de 1 à 5 masqués").is_visible()
    _check(page, "dossier (masqué)")
