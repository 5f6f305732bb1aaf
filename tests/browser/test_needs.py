"""The register of uncovered needs in Chromium: a relais agent records « aucune solution » from the hand-off form,
the coordinator opens the register and the need; axe-core finds no serious or critical violation on the list, the
need's page and the report form, at 1366 and 390 px."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citemploi.accounts.models import Role
from citemploi.governance.needs.models import Need
from tests.browser.conftest import axe_violations, follow, login
from tests.factories.accounts import TEST_PASSWORD, StructureFactory, user_with_role
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page, label: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{label} à {width} px"


def test_the_register_pages_are_accessible(page, live_server, settings):
    settings.DEMO_MODE = True  # the demo coordinator skips the second factor, as in the other journeys
    coordination = StructureFactory(coordination=True)
    relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
    user_with_role(Role.COORDINATOR, coordination, email="coord@exemple.test", is_demo_account=True)
    referent = user_with_role(Role.RELAIS_AGENT, relais, email="ref@exemple.test")
    person = make_person(by=referent, last_name="Zorglub")

    login(page, live_server, "ref@exemple.test", TEST_PASSWORD)
    page.goto(live_server.url + reverse("pathways:handoff_new", args=[person.public_id]))
    page.get_by_label("Aucune solution").check()
    page.get_by_label("Thématique du besoin sans solution").select_option("mobilite--preparer-un-permis")
    follow(page.get_by_role("button", name="Envoyer l'orientation"))
    assert page.get_by_text("Besoin sans solution enregistré").is_visible()
    page.goto(f"{live_server.url}/pilotage/besoins/signaler/")
    _accessible(page, "formulaire de signalement")

    page.context.clear_cookies()
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/pilotage/besoins/")
    assert page.get_by_role("link", name="Préparer un permis").is_visible()
    _accessible(page, "registre")
    assert "Zorglub" not in page.content()
    follow(page.get_by_role("link", name="Préparer un permis"))
    assert page.get_by_role("heading", name="Préparer un permis", level=1).is_visible()
    _accessible(page, "fiche du besoin")
    assert "Zorglub" not in page.content()
    assert Need.objects.count() == 1
