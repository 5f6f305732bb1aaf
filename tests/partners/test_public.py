"""Public pages: anonymous, only published public entries, iCal feed."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from citemploi.partners.services import ProfileChanges, profile_save
from tests.factories.partners import ActionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_agenda_shows_only_published_public_actions(world):
    shown = ActionFactory(carrier=world.relais, title="Forum de l'emploi, édition; 2026")
    ActionFactory(carrier=world.relais, title="Réunion interne", is_public=False)
    ActionFactory(carrier=world.relais, title="Brouillon partenaire", is_published=False)
    SessionFactory(action=shown)
    page = Client().get(reverse("public:agenda")).content.decode()
    assert "Forum de l&#x27;emploi" in page and "Réunion interne" not in page and "Brouillon" not in page
    assert Client().get(reverse("public:action", args=[shown.public_id])).status_code == 200


def test_ical_feed(world):
    action = ActionFactory(
        carrier=world.relais,
        title="Forum de l'emploi, édition; 2026",
        description="Venez avec votre CV\net votre sourire",
    )
    session = SessionFactory(action=action)
    ActionFactory(carrier=world.relais, title="Atelier sans séance")
    response = Client().get(reverse("public:agenda_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Forum de l'emploi\\, édition\\; 2026" in body
    assert "DESCRIPTION:Venez avec votre CV\\net votre sourire" in body
    assert f"UID:{session.public_id}@testserver" in body
    assert f"DTSTART:{session.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in body
    assert "DTSTART;VALUE=DATE:" in body  # the action without sessions is an all-day event
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_ical_lines_fold_without_splitting_utf8(world):
    ActionFactory(carrier=world.relais, title="é" * 80)
    body = Client().get(reverse("public:agenda_ics")).content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert "SUMMARY:" + "é" * 80 in body.decode().replace("\r\n ", "")


@pytest.mark.parametrize("separator", ["\r", "\n", "\r\n"])
def test_ical_title_cannot_inject_an_event(world, separator):
    """A lone CR (or LF) in a title used to end the line: the feed then held an event of the attacker's."""
    evil = separator.join(["Atelier", "END:VEVENT", "BEGIN:VEVENT", "UID:piege", "SUMMARY:Faux événement"])
    ActionFactory(carrier=world.relais, title=evil, description=evil, place_name=evil)
    body = Client().get(reverse("public:agenda_ics")).content.decode()
    assert "\r" not in body.replace("\r\n", "") and "\n" not in body.replace("\r\n", "")
    assert body.count("\r\nBEGIN:VEVENT\r\n") == 1 and "\r\nUID:piege" not in body
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["SUMMARY"]) == evil.replace("\r\n", "\n").replace("\r", "\n")


def test_relais_page_lists_hours(world):
    profile_save(
        actor=None,
        structure=world.relais,
        changes=ProfileChanges.of(
            {
                "address": "1 place du Marché",
                "city": "Saint-Étienne",
                "postcode": "42000",
                "opening_hours": "Mo 09:00-12:00",
            }
        ),
        slots=[(0, dt.time(9), dt.time(12))],
        geocode=False,
    )
    page = Client().get(reverse("public:relais")).content.decode()
    assert "Relais emploi Montreynaud" in page and "Lundi : 09:00–12:00" in page
