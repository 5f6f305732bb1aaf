"""Issue 15 §4–5 in Chromium: the coordinator opens the coverage map of the uncovered needs (Leaflet perimeters
drawn, the accessible table beside it), drills down to the signals of a cell, then opens the need whose proposal a
COPIL decision adopted and reads the experiment's results. Both pages pass axe-core (no serious or critical
violation) at 1366 and 390 px."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from citemploi.accounts.models import Role
from citemploi.governance.models import Instance, InstanceKind, Need, NeedSignal
from citemploi.governance.needs.solutions import ProposalFields, proposal_add
from citemploi.governance.services_decisions import decision_record
from citemploi.pathways.models import PersonRegistration
from tests.browser.conftest import axe_violations, follow, login
from tests.factories.accounts import TEST_PASSWORD, StructureFactory, user_with_role
from tests.factories.governance import meeting
from tests.factories.partners import ActionFactory, RegistrationFactory
from tests.factories.pathways import make_person
from tests.factories.territory import load_square_qpv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scene():
    qpv = load_square_qpv("QN04296M", lon=4.39, lat=45.44)
    relais = StructureFactory(relais=True, name="Relais emploi fictif")
    agent = user_with_role(Role.RELAIS_AGENT, relais, email="agent@exemple.test")
    coordinator = user_with_role(Role.COORDINATOR, email="coord@exemple.test", is_demo_account=True)
    month = dt.date.today().replace(day=1)
    need = Need.objects.create(thematique="mobilite--preparer-un-permis", qpv_code=qpv.code, state="qualifie")
    NeedSignal.objects.create(need=need, source="aucune_solution", month=month, count=9)
    NeedSignal.objects.create(need=need, source="frein_non_levable", month=month, count=4)
    other = Need.objects.create(thematique="famille--garde-denfants", qpv_code=qpv.code)
    NeedSignal.objects.create(need=other, source="signalement", month=month, count=7, structure=relais)
    action = ActionFactory(carrier=relais, axis=3, starts_on=dt.date.today() - dt.timedelta(days=20))
    proposal = proposal_add(
        by=coordinator,
        need=need,
        fields=ProposalFields(text="Auto-école sociale", partners=[relais], cost=Decimal("18000")),
        census_action=action,
    )
    copil = Instance.objects.create(kind=InstanceKind.COPIL, name="COPIL de test")
    decision_record(
        by=coordinator,
        meeting=meeting(copil, days=-10),
        text="Expérimenter l'auto-école sociale",
        owner_structure=relais,
        proposal=proposal,
    )
    for n in range(7):
        person = make_person(by=agent, last_name=f"Participant{n}")
        registration = RegistrationFactory(action=action, first_name=person.first_name, last_name=person.last_name)
        PersonRegistration.objects.create(person=person, registration=registration)
    return qpv, need


def _axe(page, label: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{label} à {width} px"


def test_the_coordinator_reads_the_map_drills_down_and_reads_the_experiment(page, live_server, settings):
    settings.DEMO_MODE = True  # the demo coordinator skips TOTP (as in test_shell_accessibility)
    qpv, need = _scene()
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/pilotage/besoins/carte/")
    page.wait_for_selector("#carte-besoins path.leaflet-interactive")
    assert page.locator("#carte-besoins path.leaflet-interactive").count() >= 1
    row = page.locator("table[data-needs-table] tr", has_text=qpv.code)
    assert "20" in row.inner_text()  # 13 + 7 signals, unmasked for the coordinator
    _axe(page, "carte des besoins")

    page.set_viewport_size({"width": 1366, "height": 900})
    follow(row.get_by_role("link").first)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Signaux des besoins")
    page.goto(f"{live_server.url}/pilotage/besoins/{need.public_id}/")
    results = page.locator("table[data-experiment]")
    assert "7" in results.locator("tr", has_text="Personnes ayant participé").inner_text()
    assert "Participant" not in page.content()
    _axe(page, "page du besoin")
