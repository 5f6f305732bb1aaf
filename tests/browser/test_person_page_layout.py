"""Issue 10, item 8, in Chromium: the person page with its summary band, its sections menu and the eligibility panel
collapsed to its counts; on a 390 px screen the main menu folds behind « Menu » (Bootstrap's collapse, no inline
script), the tables reflow into cards and nothing is wider than the screen. axe-core finds no serious or critical
violation at 1366 px and at 390 px. Screenshots of the person page, the alerts inbox and the home page of a relais
agent and of the coordinator, at both widths, go to var/screenshots/ (not committed: var/ is ignored)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.pathways import services
from citemploi.pathways.services import appointments
from tests.browser.conftest import axe_violations
from tests.conftest import login_client
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = (1366, 390)


def _scene():
    relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
    ml = StructureFactory(mission_locale=True, name="Mission Locale Saint-Étienne")
    coordination = StructureFactory(coordination=True, name="Métropole — Cité de l'emploi")
    agent = user_with_role(Role.RELAIS_AGENT, relais, email="agent@exemple.test")
    ml_user = user_with_role(Role.PARTNER_REFERENT, ml, email="ml@exemple.test")
    coordinator = user_with_role(Role.COORDINATOR, coordination, email="coordination@exemple.test")
    for i in range(5):
        make_person(by=agent, referent=False, first_name=f"Prénom{i}", last_name=f"Nom{i}")
    person = make_person(by=agent, first_name="Zoé", last_name="Martin-Desrosiers-Longnomcompose")
    services.contact_record(
        by=agent, person=person, kind="rdv", happened_at=timezone.now(), note="Première rencontre au marché, motivée."
    )
    for theme in ("mobilite", "numerique"):
        services.frein_identify(by=agent, person=person, theme=theme, comment="Pas de permis, pas d'ordinateur")
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=ml, reason="Souhaite entrer en CEJ", shared=["contact", "freins"]
    )
    services.handoff_acknowledge(by=ml_user, handoff=handoff)
    appointments.appointment_plan(
        by=ml_user, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=7), place="Accueil, 2e étage"
    )
    return agent, coordinator, person


def _log_in(page, live_server, user) -> None:
    client = login_client(user)  # the coordinator's second factor passed as in the other tests
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _check(page, live_server, path: str, shot: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert axe_violations(page) == [], (path, width)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *')).filter(el => el.getBoundingClientRect().right
                > window.innerWidth + 1).slice(0, 5).map(el => el.tagName + '.' + el.className)"""
        )
        assert overflow <= 0, (path, width, overflow, wide)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}-{width}.png"), full_page=True)


def test_person_page_alerts_and_home_at_both_widths(page, live_server):
    agent, coordinator, person = _scene()
    person_path = reverse("pathways:person", args=[person.public_id])
    for who, user in (("relais", agent), ("coordination", coordinator)):
        _log_in(page, live_server, user)
        _check(page, live_server, reverse("www:home"), f"home-{who}")
        _check(page, live_server, reverse("pathways:alerts"), f"alerts-{who}")
        _check(page, live_server, person_path, f"person-{who}")


def test_person_page_band_sections_and_panel(page, live_server):
    agent, _coordinator, person = _scene()
    _log_in(page, live_server, agent)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{reverse('pathways:person', args=[person.public_id])}")
    band = page.get_by_role("region", name="Synthèse")
    assert band.locator(".pathway-state").inner_text() == "orienté"
    assert "Accueil, 2e étage" in band.inner_text()
    primary = band.locator(".primary-action").all_inner_texts()
    assert primary == ["Enregistrer un contact", "Proposer un dispositif"]
    # « Autres actions » opens with the keyboard and shows the rest
    assert not page.get_by_role("link", name="Modifier la fiche").is_visible()
    band.locator("summary", has_text="Autres actions").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("link", name="Modifier la fiche").is_visible()
    # the sections menu: its links are reachable by keyboard and lead to their section
    sections = page.get_by_role("navigation", name="Sections de la fiche")
    sections.get_by_role("link", name="Contacts").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#contacts")
    assert page.locator("#contacts").is_visible()
    # the panel: a closed <details> whose summary carries the counts, opened on demand
    summary = page.locator("#eligibilite > summary").inner_text()
    assert "accessible" in summary and "à vérifier" in summary, summary
    assert not page.get_by_role("heading", name="Dispositifs accessibles", level=2).is_visible()
    page.locator("#eligibilite > summary").click()
    assert page.get_by_role("heading", name="Dispositifs accessibles", level=2).is_visible()
    assert axe_violations(page) == []


def test_small_screen_menu_folds_and_tables_reflow(page, live_server):
    agent, _coordinator, person = _scene()
    _log_in(page, live_server, agent)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('pathways:person', args=[person.public_id])}")
    menu = page.get_by_role("navigation", name="Navigation principale")
    cohort = menu.get_by_role("link", name="Cohorte")
    assert not cohort.is_visible()
    toggler = menu.get_by_role("button", name="Menu")
    assert toggler.get_attribute("aria-expanded") == "false"
    toggler.click()
    cohort.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    # the contacts table as cards: its header row hidden, each cell labelled
    table = page.get_by_role("region", name="Contacts").locator("table")
    assert page.evaluate("el => getComputedStyle(el).display", table.locator("tbody tr").first.element_handle()) == (
        "block"
    )
    cell = table.locator("td[data-label='Note']").first
    assert "Note" in page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle())
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
