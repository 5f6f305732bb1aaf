"""Issue 10, items 7 and 9, in Chromium: the alerts inbox (filters, pagination), the agenda of appointments and the
home page with its to-dos, for a relais agent and for the Mission Locale that planned a first meeting: axe-core finds
no serious or critical violation at 1366 px and at 390 px, and nothing is wider than the screen. Screenshots go to
var/screenshots/ (not committed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.pathways import services
from citemploi.pathways.services import appointments
from tests.browser.conftest import axe_violations, follow
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = (1366, 390)


def _scene():
    relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
    ml = StructureFactory(mission_locale=True, name="Mission Locale Saint-Étienne")
    agent = user_with_role(Role.RELAIS_AGENT, relais, email="agent@exemple.test")
    ml_user = user_with_role(Role.PARTNER_REFERENT, ml, email="ml@exemple.test")
    for i in range(30):  # enough alerts for two pages
        make_person(by=agent, referent=False, first_name=f"Prénom{i}", last_name=f"Nom{i}")
    person = make_person(by=agent, first_name="Zoé", last_name="Martin")
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=ml, reason="Souhaite entrer en CEJ", shared=["contact"]
    )
    services.handoff_acknowledge(by=ml_user, handoff=handoff)
    appointments.appointment_plan(
        by=ml_user, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=7), place="Accueil, 2e étage"
    )
    appointments.handoff_reply(by=ml_user, handoff=handoff, message="Rendez-vous fixé la semaine prochaine.")
    other = make_person(by=agent)
    services.handoff_send(by=agent, person=other, to_structure=ml, reason="Orientation emploi", shared=[])
    return agent, ml_user, person


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _check(page, live_server, path: str, shot: str, *, reflow: bool = True) -> None:
    """axe at both widths; with ``reflow`` nothing wider than the screen (the person page too since its tables
    reflow into cards, issue 10 item 8)."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], (path, width)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('main *')).filter(el => el.getBoundingClientRect().right
                > window.innerWidth + 1).slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 40))"""
        )
        assert not reflow or overflow <= 0, (path, width, overflow, wide)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}-{width}.png"), full_page=True)


def test_inbox_agenda_and_home_are_accessible_at_both_widths(page, live_server):
    agent, ml_user, person = _scene()
    _log_in(page, live_server, agent)
    _check(page, live_server, reverse("www:home"), "home-relais")
    assert page.get_by_role("link", name="Orientations à accuser").count() == 1
    _check(page, live_server, reverse("pathways:alerts"), "alerts-relais")
    assert page.get_by_text("Page 1 sur 2").count() == 1
    _check(page, live_server, reverse("pathways:alerts") + "?kind=sans_referent&age=7", "alerts-relais-filtered")
    _check(page, live_server, reverse("pathways:agenda"), "agenda-relais")
    assert page.get_by_text("Zoé").count() >= 1
    _check(page, live_server, reverse("pathways:person", args=[person.public_id]), "person-handoff-sender")
    assert page.get_by_text("Souhaite entrer en CEJ").count() == 1
    assert page.get_by_text("Rendez-vous fixé la semaine prochaine.", exact=False).count() == 1
    page.context.clear_cookies()
    _log_in(page, live_server, ml_user)
    _check(page, live_server, reverse("www:home"), "home-ml")
    _check(page, live_server, reverse("pathways:alerts"), "alerts-ml")
    _check(page, live_server, reverse("pathways:agenda"), "agenda-ml")
    _check(page, live_server, reverse("pathways:person", args=[person.public_id]), "person-handoff-receiver")
    assert page.get_by_text("Souhaite entrer en CEJ").count() == 1
    follow(page.get_by_role("link", name="Enregistrer le rendez-vous comme tenu"))
    assert axe_violations(page) == []


def test_the_mission_locale_plans_a_meeting_next_week_both_agendas_show_it_then_it_is_recorded_held(page, live_server):
    from citemploi.pathways.models import Contact, Handoff, Mobilisation
    from tests.factories.pathways import scheme

    relais = StructureFactory(relais=True, name="Relais emploi du Crêt")
    ml = StructureFactory(mission_locale=True, name="Mission Locale Saint-Étienne")
    agent = user_with_role(Role.RELAIS_AGENT, relais, email="agent@exemple.test")
    ml_user = user_with_role(Role.PARTNER_REFERENT, ml, email="ml@exemple.test")
    person = make_person(by=agent, first_name="Inès", last_name="Fictive")
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=ml)
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=ml, reason="Souhaite entrer en CEJ", shared=["contact"], mobilisation=cej
    )
    services.handoff_acknowledge(by=ml_user, handoff=handoff)
    _log_in(page, live_server, ml_user)
    page.goto(f"{live_server.url}{reverse('pathways:person', args=[person.public_id])}")
    follow(page.get_by_role("link", name="Prévoir le premier rendez-vous"))
    assert page.get_by_text("Souhaite entrer en CEJ").count() == 1  # the reason, on the form
    assert axe_violations(page) == []
    next_week = timezone.localtime() + dt.timedelta(days=7)
    page.get_by_label("Date et heure du premier rendez-vous").fill(next_week.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Lieu (facultatif)").fill("Accueil")
    page.get_by_role("button", name="Prévoir le rendez-vous").click()
    page.wait_for_url(f"**{reverse('pathways:person', args=[person.public_id])}*")
    for user in (ml_user, agent):
        page.context.clear_cookies()
        _log_in(page, live_server, user)
        page.goto(f"{live_server.url}{reverse('pathways:agenda')}")
        assert page.get_by_role("link", name="Inès FICTIVE").count() == 1, user
        assert page.get_by_text("10:00").count() == 1
    page.context.clear_cookies()
    _log_in(page, live_server, ml_user)
    page.goto(f"{live_server.url}{reverse('pathways:person', args=[person.public_id])}")
    follow(page.get_by_role("link", name="Enregistrer le rendez-vous comme tenu"))
    assert axe_violations(page) == []
    page.get_by_label("Dispositif Contrat d'engagement jeune", exact=False).select_option("entree")
    page.get_by_label("Frein repéré pendant le rendez-vous (facultatif)").select_option("mobilite")
    page.get_by_label("Réponse à la structure émettrice").fill("Reçue, entrée en CEJ.")
    page.get_by_role("button", name="Enregistrer le rendez-vous tenu").click()
    page.wait_for_url(f"**{reverse('pathways:person', args=[person.public_id])}*")
    assert Handoff.objects.get(pk=handoff.pk).state == "premier_rdv"
    assert Mobilisation.objects.get(pk=cej.pk).state == "entree"
    assert Contact.objects.filter(person=person, structure=ml).count() == 1
    assert page.get_by_text("Reçue, entrée en CEJ.", exact=False).count() == 1
