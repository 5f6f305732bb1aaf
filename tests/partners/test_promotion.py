"""Promotion (issue 15 §7): the public newsletter, its e-mail version, the agenda widget, the public counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citemploi.evaluation.periods import month_of
from citemploi.governance.models import Meeting, Visibility
from citemploi.governance.promotion import public_reach
from citemploi.pathways.exits import add_months
from citemploi.pathways.models import Person
from citemploi.schemes.models import VeilleEntry, VeilleStatus
from citemploi.territory.models import QPV
from tests.conftest import assert_max_queries, login_client
from tests.factories.governance import copil, meeting
from tests.factories.partners import ActionFactory, SessionFactory
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONTH = month_of(TODAY)
LAST_MONTH = month_of(add_months(MONTH.start, -1))
NEXT_MONTH = month_of(add_months(MONTH.start, 1))


@pytest.fixture(autouse=True)
def _fresh_public_figures():
    """The public figures are cached for 15 minutes in the process: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _veille(title: str, *, published_on: dt.date | None) -> VeilleEntry:
    status = VeilleStatus.PUBLISHED if published_on else VeilleStatus.DRAFT
    return VeilleEntry.objects.create(
        date=published_on or TODAY,
        title=title,
        summary="Ce qui change pour les jeunes.",
        source_url="https://www.example.org/source",
        status=status,
        published_at=_at(published_on) if published_on else None,
    )


def _meeting(instance, title: str, visibility: str, starts_at: dt.datetime) -> None:
    made = meeting(instance, title=title, visibility=visibility)
    Meeting.objects.filter(pk=made.pk).update(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))


def _letter_world(world, n: int = 1):
    """n of each kind of entry of the month (agenda, meetings, new actions, veille), plus what must stay out."""
    instance = copil(world, name=f"COPIL {n}")
    for i in range(n):
        action = ActionFactory(carrier=world.relais, title=f"Forum de l'emploi {i}", starts_on=MONTH.start)
        SessionFactory(action=action, starts_at=_at(MONTH.start + dt.timedelta(days=i % 20)))
        _meeting(instance, f"COPIL ouvert {i}", Visibility.PUBLIC, _at(MONTH.end, 14))
        _veille(f"Réforme du CEJ {i}", published_on=LAST_MONTH.start + dt.timedelta(days=i % 25))
    _meeting(instance, "Séance à huis clos", Visibility.MEMBERS, _at(MONTH.end, 9))
    _veille("Note encore en brouillon", published_on=None)
    ActionFactory(carrier=world.relais, title="Réunion interne", is_public=False, starts_on=MONTH.start)
    ActionFactory(carrier=world.relais, title="Brouillon partenaire", is_published=False, starts_on=MONTH.start)
    new = ActionFactory(carrier=world.other_relais, title="Atelier numérique nouveau", starts_on=NEXT_MONTH.end)
    return new


def _page(client: Client, name: str, month=MONTH) -> str:
    response = client.get(reverse(name), {"mois": f"{month.start:%Y-%m}"})
    assert response.status_code == 200
    return response.content.decode()


def test_newsletter_shows_the_month_and_nothing_private(world):
    _letter_world(world)
    page = _page(Client(), "public:newsletter")
    assert "Forum de l&#x27;emploi 0" in page
    assert "COPIL ouvert 0" in page
    assert "Réforme du CEJ 0" in page  # published during the month before: a novelty of this letter
    for private in ("Séance à huis clos", "Note encore en brouillon", "Réunion interne", "Brouillon partenaire"):
        assert private not in page
    # The action added today is a novelty of next month's letter (which covers this month's additions).
    assert "Atelier numérique nouveau" not in page
    assert "Atelier numérique nouveau" in _page(Client(), "public:newsletter", NEXT_MONTH)


def test_veille_appears_only_once_published(world):
    entry = _veille("Nouvelle aide à la mobilité", published_on=None)
    assert "Nouvelle aide à la mobilité" not in _page(Client(), "public:newsletter", NEXT_MONTH)
    VeilleEntry.objects.filter(pk=entry.pk).update(status=VeilleStatus.PUBLISHED, published_at=timezone.now())
    assert "Nouvelle aide à la mobilité" in _page(Client(), "public:newsletter", NEXT_MONTH)


def test_a_wrong_month_says_so_and_shows_the_current_one(world):
    response = Client().get(reverse("public:newsletter"), {"mois": "2026-13"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page and f"{MONTH.start:%Y}" in page


def test_email_version_is_the_coordinators(world):
    for persona in ("referent", "state_copilot", "steering_member"):
        assert login_client(world.users[persona]).get(reverse("public:newsletter_email")).status_code == 403
    assert login_client(world.users["coordinator"]).get(reverse("public:newsletter_email")).status_code == 200


def test_email_version_has_absolute_links_inline_styles_and_plain_text(world, settings):
    settings.SITE_URL = "https://cite.example.org"
    settings.BRAND = {**settings.BRAND, "logo_url": "/static/logo.png", "primary_color": "#123456"}
    _letter_world(world)
    coordinator = login_client(world.users["coordinator"])
    query = {"mois": f"{MONTH.start:%Y-%m}"}
    html = coordinator.get(reverse("public:newsletter_email_html"), query)
    assert html["Content-Disposition"].startswith("attachment;")
    assert "default-src 'none'" in html["Content-Security-Policy"]
    body = html.content.decode()
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', body)
    assert hrefs and all(h.startswith(("https://", "mailto:")) for h in hrefs), hrefs
    assert "https://cite.example.org/static/logo.png" in body
    assert "background-color:#123456" in body and "<table" in body and "<link" not in body
    assert "Forum de l&#x27;emploi 0" in body and "Séance à huis clos" not in body
    text = coordinator.get(reverse("public:newsletter_email_text"), query)
    assert text["Content-Type"].startswith("text/plain")
    plain = text.content.decode()
    assert "Forum de l'emploi 0" in plain and "<" not in plain.replace("« < 6 »", "").replace("< 6", "")
    assert "https://cite.example.org/cite/actions/" in plain
    page = coordinator.get(reverse("public:newsletter_email"), query)
    content = page.content.decode()
    # The site's own page shows the source as text (escaped), never the styled HTML itself.
    main = content.split("<main")[1]
    assert "&lt;table" in main and "style=" not in main.replace("style=&quot;", ""), main[:3000]
    assert "style-src 'self'" in page["Content-Security-Policy"]


def test_the_coordinators_menu_links_the_email_version(world):
    home = login_client(world.users["coordinator"]).get(reverse("www:home")).content.decode()
    assert reverse("public:newsletter_email") in home
    assert reverse("public:newsletter_email") not in login_client(world.users["referent"]).get("/").content.decode()


def test_widget_headers(world, settings):
    settings.WIDGET_FRAME_ANCESTORS = ["https://partenaire.example.org", "https://mairie.example.fr"]
    response = Client().get(reverse("public:agenda_widget"))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "public" in response["Cache-Control"]
    policy = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";") if d.strip())
    assert policy["frame-ancestors"] == "https://partenaire.example.org https://mairie.example.fr"
    assert policy["script-src"] == "'self'"
    for other in ("public:agenda", "public:newsletter", "public:about"):
        elsewhere = Client().get(reverse(other))
        assert elsewhere["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in elsewhere["Content-Security-Policy"]


def test_widget_lists_next_events_and_opens_links_outside_the_frame(world):
    action = ActionFactory(carrier=world.relais, title="Job dating logistique")
    SessionFactory(action=action)
    page = Client().get(reverse("public:agenda_widget")).content.decode()
    assert "Job dating logistique" in page and '<base target="_blank">' in page
    assert "main-nav" not in page and "site-header" not in page


def _people(world, counts: dict[str, int]) -> None:
    for code, n in counts.items():
        qpv = QPV.objects.create(code=code, name=f"Quartier {code}")
        for _ in range(n):
            person = make_person(by=world.users["referent"], spotted_on=TODAY)
            Person.objects.filter(pk=person.pk).update(qpv_entry=qpv, qpv_entry_status="in")


def test_public_counts_mask_small_qpv_with_secondary_suppression(world):
    _people(world, {"QN00001T": 3, "QN00002T": 7, "QN00003T": 9})
    reach = public_reach()
    shown = {f.label: f.value for f in reach.rows}
    assert shown["Quartier QN00001T (QN00001T)"] is None  # 3 people: masked
    assert shown["Quartier QN00002T (QN00002T)"] is None  # secondary: else 19 - 7 - 9 gives the 3 back
    assert shown["Quartier QN00003T (QN00003T)"] == 9 and reach.total.value == 19
    page = Client().get(reverse("public:about")).content.decode()
    assert "&lt; 6" in page and "data-masked" in page
    assert "Nom1" not in page
    with assert_max_queries(0):  # cached: the registry does not run on every anonymous hit
        assert public_reach() == reach


@pytest.mark.parametrize("name", ["public:newsletter", "public:agenda_widget", "public:about"])
def test_public_pages_queries_do_not_grow(world, name):
    def count(n: int) -> int:
        _letter_world(world, n)
        with assert_max_queries(40) as ctx:
            assert Client().get(reverse(name), {"mois": f"{MONTH.start:%Y-%m}"}).status_code == 200
        return len(ctx.captured_queries)

    small = count(1)
    cache.clear()
    large = count(6)
    assert large == small
    with assert_max_queries(12):
        Client().get(reverse(name), {"mois": f"{MONTH.start:%Y-%m}"})


def test_email_source_stays_text_in_the_coordinators_page(world):
    evil = "Atelier </textarea><script>alert(1)</script>"
    SessionFactory(action=ActionFactory(carrier=world.relais, title=evil, starts_on=MONTH.start))
    page = login_client(world.users["coordinator"]).get(
        reverse("public:newsletter_email"), {"mois": f"{MONTH.start:%Y-%m}"}
    )
    content = page.content.decode()
    assert "<script>alert(1)" not in content and "</textarea><script>" not in content
    assert content.count("</textarea>") == 3  # HTML source, text version, widget code


@pytest.mark.parametrize(
    ("value", "ok"), [("https://www.mairie.example.fr,'self'", True), ("https://x.example.org/chemin", False)]
)
def test_widget_origins_setting_fails_loudly(value, ok):
    import os
    import subprocess
    import sys

    env = {**os.environ, "WIDGET_FRAME_ANCESTORS": value, "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.WIDGET_FRAME_ANCESTORS)"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert (run.returncode == 0) is ok, run.stderr[-500:]
    if not ok:
        assert "n'est pas une origine" in run.stderr
