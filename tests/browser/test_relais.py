"""Issue 15 (relais) in Chromium: a relais agent opens last month's report, sees the prefilled counts, edits one
and submits; the coordinator validates it and sees the consolidated table with the 11 missing reports of the
month highlighted (12 relais); then ``citemploi relais remind`` on the first working day sends once to the agents
of the relais that have not submitted, and not again. Every page of the zone passes axe-core at 1366 and 390 px."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.pathways import services as pathways
from citemploi.relais.models import ActivityReport, ReportState
from citemploi.relais.months import first_working_day, next_month, previous_month
from citemploi.territory.models import QPV
from tests.browser.conftest import axe_violations, follow, login
from tests.factories.accounts import TEST_PASSWORD, StructureFactory, user_with_role
from tests.factories.pathways import make_person
from tests.factories.territory import ensure_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scene(month: dt.date):
    ensure_territory()
    qpv = QPV.objects.get(code="QN04213M")
    relais = [StructureFactory(relais=True, name=f"Relais emploi {n:02d}") for n in range(1, 13)]
    agents = [user_with_role(Role.RELAIS_AGENT, r, email=f"agent{n:02d}@exemple.test") for n, r in enumerate(relais, 1)]
    coordinator = user_with_role(
        Role.COORDINATOR, StructureFactory(coordination=True), email="coord@exemple.test", is_demo_account=True
    )
    tz = timezone.get_current_timezone()
    for day in (5, 12):
        person = make_person(by=agents[0], sex="F", qpv=qpv, spotted_on=month)
        when = dt.datetime.combine(month.replace(day=day), dt.time(10), tzinfo=tz)
        pathways.contact_record(by=agents[0], person=person, kind="rdv", happened_at=when)
    return relais, agents, coordinator


def _axe(page, label: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"{label} à {width} px"


def _remind(day: dt.date) -> str:
    out = io.StringIO()
    call_command("relais", "remind", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_report_submitted_validated_consolidated_and_reminded(page, live_server, settings):
    settings.DEMO_MODE = True  # the demo coordinator skips TOTP (as in test_shell_accessibility)
    month = previous_month(timezone.localdate())
    relais, agents, _coordinator = _scene(month)
    login(page, live_server, "agent01@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/relais/")  # an agent lands on their own relais
    page.get_by_role("heading", level=1, name="Relais emploi 01").wait_for()
    _axe(page, "page du relais")
    follow(page.get_by_role("link", name="Rapport d'activité de").first)
    page.get_by_text("Pas encore écrit").wait_for()
    _axe(page, "rapport prérempli")
    appointments = page.get_by_label("Rendez-vous individuels")
    assert appointments.input_value() == "2"
    assert page.get_by_label("Montreynaud — Femmes — nouvelles").input_value() == "2"
    appointments.fill("3")
    page.get_by_role("button", name="Enregistrer le rapport").click()
    page.get_by_text("Rapport enregistré.").wait_for()
    page.get_by_role("button", name="Soumettre à la coordination").click()
    page.get_by_text("Rapport soumis à la coordination.").wait_for()
    assert page.locator("#etat").inner_text() == "Soumis"
    _axe(page, "rapport soumis")
    report = ActivityReport.objects.get()
    assert (report.appointments, report.state) == (3, ReportState.SUBMITTED)

    page.context.clear_cookies()
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/relais/{relais[0].public_id}/rapports/{month:%Y-%m}/")
    _axe(page, "rapport à valider")
    page.get_by_role("button", name="Valider le rapport").click()
    page.get_by_text("Rapport validé.").wait_for()
    page.goto(f"{live_server.url}/relais/ensemble/")
    _axe(page, "vue d'ensemble")
    assert page.locator(f'tfoot td[data-month="{month.month}"]').inner_text() == "11"
    column = page.locator(f"#relais-mois tbody tr td:nth-child({month.month + 1})")
    assert column.count() == 12
    assert page.locator(f"#relais-mois tbody tr td:nth-child({month.month + 1}).missing").count() == 11
    page.goto(f"{live_server.url}/relais/{relais[0].public_id}/")
    _axe(page, "page du relais (coordination)")

    mail.outbox.clear()
    first = first_working_day(next_month(month))  # the reminders about last month
    assert "11 relance(s) envoyée(s) à 11 relais" in _remind(first)
    assert sorted(m.to[0] for m in mail.outbox) == [a.email for a in agents[1:]]
    assert "0 relance(s) envoyée(s)" in _remind(first)
    assert len(mail.outbox) == 11
