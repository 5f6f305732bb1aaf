"""Public pages: anonymous, only published public entries, iCal feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from citemploi.partners.ical import fold
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


def test_fold_keeps_utf8_characters_whole():
    folded = fold("SUMMARY:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 80


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
