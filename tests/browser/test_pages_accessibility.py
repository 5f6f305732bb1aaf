"""axe-core in Chromium on every HTML page of the territory, the schemes catalogue, the census of the offer and the
public pages: 0 serious or critical violation, with real data on each page and the maps without tiles.

Each page is visited by a persona allowed to see it: the referent of the relais (a caseworker, the everyday user),
the coordinator for the coordination's screens (demo account: no TOTP in browser tests), anonymous for the public
pages. The data is small but covers every block of the pages (lists, tables, diffs, forms, maps)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citemploi.accounts.models import Role, User
from citemploi.partners.models import ActionFunder, OpeningSlot, Revision, RevisionStatus
from citemploi.schemes.models import GoodPractice, GoodPracticeAttachment, Scheme, VeilleEntry
from citemploi.territory.geocoding_local import normalize
from citemploi.territory.models import BanAddress, TagJob
from tests.browser.conftest import axe_violations
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.partners import (
    ActionFactory,
    ProfileFactory,
    RegistrationFactory,
    ServiceFactory,
    SessionFactory,
)
from tests.factories.territory import load_square_qpv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRAND = "Cité de l'emploi"
LON, LAT = 4.39, 45.44  # inside the square QPV of load_square_qpv


@dataclass
class Scene:
    referent: User
    coordinator: User
    objects: dict[str, Any]


def _territory(owner: User) -> dict[str, Any]:
    """A QPV perimeter around the test point, one BAN address in it, a finished file check."""
    load_square_qpv()
    street = "Avenue de la Libération"
    BanAddress.objects.create(
        ban_id="42218_1000_00012",
        number=12,
        street=street,
        street_norm=normalize(street),
        postcode="42000",
        insee_code="42218",
        city="Saint-Étienne",
        city_norm=normalize("Saint-Étienne"),
        lon=LON,
        lat=LAT,
    )
    job = TagJob(
        owner=owner,
        original_name="beneficiaires.csv",
        status=TagJob.Status.DONE,
        total_rows=2,
        processed_rows=2,
        summary={"lines": ["2 ligne(s) traitée(s)", "1 dans un QPV, 1 hors QPV"]},
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    job.source.save("a11y.csv", ContentFile(b"lon;lat\n4.39;45.44\n"), save=False)
    job.result.save("a11y-qpv.csv", ContentFile(b"lon;lat;qpv_status\n4.39;45.44;in\n"), save=False)
    job.save()
    return {"job": job}


def _offer(relais, partner, referent: User, coordinator: User) -> dict[str, Any]:
    """Profiles with opening hours, a published service with a pending change, an action of today with a session,
    a funder and a registration, one examined proposal; the territory's QPV for the coverage matrix and the forms."""
    qpv = load_square_qpv()
    profile = ProfileFactory(
        structure=relais, address="3 rue de la Paix", contact_name="Camille Martin", longitude=LON, latitude=LAT
    )
    for weekday in range(3):
        OpeningSlot.objects.create(profile=profile, weekday=weekday, opens=dt.time(9), closes=dt.time(12, 30))
    ProfileFactory(structure=partner, longitude=LON + 0.02, latitude=LAT)
    service = ServiceFactory(structure=relais, address="3 rue de la Paix", city="Saint-Étienne", postcode="42000")
    for n, (lon, lat) in enumerate([(LON, LAT), (LON + 0.01, LAT)]):
        ServiceFactory(structure=partner, name=f"Permanence mobilité {n}", longitude=lon, latitude=lat)
    today = timezone.localdate()
    action = ActionFactory(carrier=relais, partners=[partner], starts_on=today, capacity=12, place_name="Salle")
    action.longitude, action.latitude = LON, LAT
    action.save()
    action.qpvs_served.add(qpv)
    profile.qpvs_served.add(qpv)
    SessionFactory(action=action)
    ActionFunder.objects.create(action=action, name="Ville de Saint-Étienne", amount=1500)
    RegistrationFactory(action=action, registered_by=referent)
    ActionFactory(carrier=partner, starts_on=today + dt.timedelta(days=3), title="Forum de l'alternance")
    revision = Revision.objects.create(
        service=service, author=referent, data={"name": "Atelier CV et lettre"}, before={"name": service.name}
    )
    draft = ServiceFactory(structure=relais, is_published=False, name="Café de l'emploi")
    Revision.objects.create(
        service=draft,
        author=referent,
        data={"name": draft.name},
        status=RevisionStatus.REJECTED,
        reviewer=coordinator,
        reviewed_at=timezone.now(),
        comment="Doublon.",
    )
    return {"relais": relais, "service": service, "action": action, "revision": revision}


def _schemes() -> dict[str, Any]:
    from citemploi.schemes.demo import load_demo

    load_demo(stdout=io.StringIO())  # the catalogue itself is reseeded by tests/browser/conftest.py
    practice = GoodPractice.objects.order_by("id").first()
    GoodPracticeAttachment.objects.create(
        practice=practice, file=ContentFile(b"contenu", name="fiche.txt"), name="Fiche action.txt"
    )
    return {"scheme": Scheme.objects.get(code="cej"), "veille": VeilleEntry.objects.first(), "practice": practice}


@pytest.fixture
def make_scene(settings):
    """Build the data of one area only: a live-server test flushes the database after it, so each test pays for
    its own data — the smaller, the faster."""

    def make(area: str) -> Scene:
        settings.DEMO_MODE = True  # the demo coordinator skips TOTP; the banner is part of the pages checked
        settings.GEOCODER = "ban_local"
        relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
        coordination = StructureFactory(coordination=True)
        referent = user_with_role(Role.RELAIS_AGENT, relais, email="referente@exemple.test")
        coordinator = user_with_role(Role.COORDINATOR, coordination, email="coord@exemple.test", is_demo_account=True)
        if area == "territory":
            objects = _territory(referent)
        elif area == "schemes":
            objects = _schemes()
        else:
            partner = StructureFactory(name="Association Mobilité 42")
            objects = _offer(relais, partner, referent, coordinator)
        return Scene(referent=referent, coordinator=coordinator, objects=objects)

    return make


def _pid(key: str):
    return lambda o: {"public_id": o[key].public_id}


def _structure(o):
    return {"structure_id": o["relais"].public_id}


# (url name, persona, kwargs from the scene's objects, query string, CSS selector to wait for — the map data)
PAGES: list[tuple[str, str, Any, str, str]] = [
    (
        "territory:address_check",
        "referent",
        None,
        "?address=12+avenue+de+la+Liberation&postcode=42000&city=",
        "path.leaflet-interactive",
    ),
    ("territory:file_check", "referent", None, "", ""),
    ("territory:file_job", "referent", _pid("job"), "", ""),
    ("territory:map", "referent", None, "", "path.leaflet-interactive"),
    ("schemes:list", "referent", None, "", ""),
    ("schemes:detail", "coordinator", _pid("scheme"), "", ""),
    ("schemes:parameter_edit", "coordinator", lambda o: {"public_id": o["scheme"].public_id, "key": "age_max"}, "", ""),
    ("schemes:validity_edit", "coordinator", _pid("scheme"), "", ""),
    ("schemes:veille", "coordinator", None, "", ""),
    ("schemes:veille_create", "coordinator", None, "", ""),
    ("schemes:veille_detail", "referent", _pid("veille"), "", ""),
    ("schemes:veille_edit", "coordinator", _pid("veille"), "", ""),
    ("schemes:practices", "referent", None, "", ""),
    ("schemes:practice_create", "referent", None, "", ""),
    ("schemes:practice_detail", "referent", _pid("practice"), "", ""),
    ("schemes:practice_edit", "coordinator", _pid("practice"), "", ""),
    ("partners:directory", "referent", None, "", ""),
    ("partners:structure", "referent", lambda o: {"public_id": o["relais"].public_id}, "", ""),
    ("partners:profile_edit", "coordinator", lambda o: {"public_id": o["relais"].public_id}, "", ""),
    ("partners:service_create", "referent", _structure, "", ""),
    ("partners:action_create", "referent", _structure, "", ""),
    ("partners:service", "referent", _pid("service"), "", ""),
    ("partners:service_edit", "referent", _pid("service"), "", ""),
    ("partners:action", "referent", _pid("action"), "", ""),
    ("partners:action_edit", "referent", _pid("action"), "", ""),
    ("partners:calendar", "referent", None, "", ""),
    ("partners:map", "referent", None, "", "#carte-liste li"),
    ("partners:completeness", "coordinator", None, "", ""),
    ("partners:coverage", "coordinator", None, "", ""),
    ("partners:moderation", "coordinator", None, "", ""),
    ("partners:revision", "coordinator", _pid("revision"), "", ""),
    ("public:about", "anonymous", None, "", ""),
    ("public:relais", "anonymous", None, "", "path.leaflet-interactive"),
    ("public:agenda", "anonymous", None, "", ""),
    ("public:action", "anonymous", _pid("action"), "", ""),
    ("public:newsletter", "anonymous", None, "", ""),
    ("public:newsletter_email", "coordinator", None, "", ""),
]

# Not HTML pages (JSON, GeoJSON, CSV/XLSX, files, iCal, Atom) or POST only: nothing for axe to check.
NOT_PAGES = {
    "territory:file_job_status",
    "territory:file_job_download",
    "territory:qpv_geojson",
    "schemes:veille_feed",
    "schemes:veille_feed_personal",
    "schemes:veille_feed_regenerate",
    "schemes:veille_publish",
    "schemes:attachment",
    "partners:session_add",
    "partners:funder_add",
    "partners:results",
    "partners:registration_add",
    "partners:attendance",
    "partners:map_data",
    "partners:export",
    "public:relais_map_data",
    "public:agenda_ics",
    "public:newsletter_email_html",
    "public:newsletter_email_text",
    "public:agenda_widget",  # its own minimal layout (no site title): tests/browser/test_promotion.py
}


def test_every_page_of_these_areas_is_checked():
    """A new page in one of these areas must join PAGES (or NOT_PAGES when it is not HTML)."""
    from django.urls import get_resolver

    resolver = get_resolver()
    names = {
        f"{namespace}:{name}"
        for namespace in ("territory", "schemes", "partners", "public")
        for name in resolver.namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == {p[0] for p in PAGES} | NOT_PAGES


def _log_in(page, live_server, user: User | None) -> None:
    """The session of a Django test client, handed to the browser (the login form has its own test)."""
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _visit(page, live_server, make_scene, name: str, persona: str, kwargs: Any, query: str, wait_for: str):
    scene = make_scene(name.split(":")[0])
    user = {"referent": scene.referent, "coordinator": scene.coordinator, "anonymous": None}[persona]
    _log_in(page, live_server, user)
    path = reverse(name, kwargs=kwargs(scene.objects) if kwargs else None)
    response = page.goto(f"{live_server.url}{path}{query}")
    assert response is not None and response.status == 200, (name, response and response.status)
    if wait_for:
        page.locator(wait_for).first.wait_for()


def _unnamed_controls(page) -> list[str]:
    """Form controls without an accessible name (label, aria-label(ledby), title, or a button's own text)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                    && !el.getAttribute('aria-labelledby') && !el.getAttribute('title')
                    && !(el.tagName === 'BUTTON' && el.textContent.trim())
                    && !(['submit', 'button', 'reset'].includes(el.type) && el.value))
            .map(el => el.outerHTML.slice(0, 120))"""
    )


@pytest.mark.parametrize(("name", "persona", "kwargs", "query", "wait_for"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible(page, live_server, make_scene, name, persona, kwargs, query, wait_for):
    """axe finds nothing serious; one h1; the title names the page then the brand (once); every control named."""
    _visit(page, live_server, make_scene, name, persona, kwargs, query, wait_for)
    assert page.locator("h1").count() == 1
    title = page.title()
    assert title.endswith(f" — {BRAND}") and not title.endswith(f"{BRAND} — {BRAND}"), title
    assert _unnamed_controls(page) == []
    assert page.locator("select:not(:has(option))").count() == 0  # an empty list cannot be answered
    assert axe_violations(page) == []


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_keyboard_alone_fills_and_submits_the_address_form(page, live_server, make_scene):
    """Skip link, then Tab through the fields in document order, Enter submits: the answer and its map come back."""
    _visit(page, live_server, make_scene, "territory:address_check", "referent", None, "", "")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert _focused(page) == "contenu"
    page.keyboard.press("Tab")
    assert _focused(page) == "id_address"
    page.keyboard.type("12 avenue de la Libération")
    page.keyboard.press("Tab")
    assert _focused(page) == "id_postcode"
    page.keyboard.type("42000")
    page.keyboard.press("Tab")
    assert _focused(page) == "id_city"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.locator("path.leaflet-interactive").first.wait_for()
    assert "Dans le QPV" in page.locator(".qpv-answer").inner_text()
    assert axe_violations(page) == []


def test_the_offer_map_works_without_tiles_and_lists_the_places(page, live_server, make_scene):
    _visit(page, live_server, make_scene, "partners:map", "referent", None, "", "#carte-liste li")
    assert "Fond de carte non configuré" in page.inner_text("main")
    names = page.locator("#carte-liste a").all_inner_texts()
    assert "Relais emploi Montreynaud" in names and "Association Mobilité 42" in names
    assert any(name.startswith("Job dating") for name in names)
    assert page.get_by_role("button", name="Zoom avant").count() == 1  # Leaflet's controls, named in French
