"""Issue 10, first « Done when », in Chromium on the demo data with no network: the demo relais agent creates a
person at a generated Saint-Étienne address (the page names its QPV, « … — périmètre fictif de démonstration ») and one in Fontanès
(« hors QPV » at once), runs the journey of the first one to a CEJ hand-off to the demo Mission Locale (the header
says contacté, diagnostiqué, orienté in turn); the Mission Locale referent acknowledges, plans the first meeting next
week (both agendas show it), records it held with the CEJ entered; the relais agent then sees « en parcours » and the
CEJ in the Mission Locale's charge. axe-core finds no serious or critical violation on any page visited.

The geocoder is the local one (GEOCODER=ban_local, fed by ``demo load``); the BAN API points at a closed local port
and the browser's requests are all to the live server."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone

from citemploi.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from citemploi.pathways.models import Mobilisation, Person
from citemploi.territory.demo import DEMO_LABEL, FONTANES, demo_addresses
from tests.browser.conftest import axe_violations, follow, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RELAIS_AGENT = f"relais@{DEMO_DOMAIN}"
ML_REFERENT = f"mission-locale@{DEMO_DOMAIN}"
ML_NAME = "Mission Locale Loire Sud"
PERSON_PAGE = re.compile(r"/personnes/[0-9a-f-]+/(#.*)?$")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed once the socket is: any request there is refused at once


class Side:
    """One browser page of one user; every page reached is checked by axe-core."""

    def __init__(self, page, url: str):
        self.page, self.url = page, url
        self.hosts: set[str] = set()
        page.on("request", lambda request: self.hosts.add(urlparse(request.url).netloc))

    def checked(self, what: str) -> None:
        assert axe_violations(self.page) == [], what

    def go(self, path: str) -> None:
        response = self.page.goto(f"{self.url}{path}")
        assert response is not None and response.status == 200, path
        self.checked(path)

    def state(self) -> str:
        return self.page.locator(".pathway-state").first.inner_text()

    def action(self, link: str, fill, submit: str) -> None:
        """From the person page: open an action (under « Autres actions » when not primary), fill, submit."""
        target = self.page.get_by_role("link", name=link, exact=True).first
        if not target.is_visible():
            self.page.locator("summary", has_text="Autres actions").click()
        follow(target)
        self.checked(link)
        fill(self.page)
        self.page.get_by_role("button", name=submit).click()
        self.page.wait_for_url(PERSON_PAGE)
        self.checked(f"après {link}")


def _create(side: Side, first: str, last: str, birth: dt.date, address) -> str:
    page = side.page
    side.go("/personnes/nouvelle/")
    page.get_by_label("Prénom").fill(first)
    page.get_by_label(re.compile(r"^Nom\b")).fill(last)
    page.get_by_label("Date de naissance").fill(birth.isoformat())
    page.get_by_label("Adresse", exact=True).fill(address.line)
    page.get_by_label("Code postal").fill(address.postcode)
    page.get_by_label("Commune", exact=True).fill(address.city)
    page.get_by_label("Canal de repérage").select_option(label="Rue, aller-vers")
    page.get_by_role("button", name="Enregistrer la personne").click()
    page.wait_for_url(PERSON_PAGE)
    side.checked(f"fiche {first}")
    return page.get_by_role("region", name="Identité").inner_text()


def _next_week_working_day() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def test_demo_relais_to_mission_locale_journey_offline(browser, page, live_server, settings):
    settings.DEMO_MODE, settings.GEOCODER, settings.MAP_TILE_URL = True, "ban_local", ""
    settings.BAN_API_URL, settings.BAN_API_RETRIES = f"http://127.0.0.1:{_closed_port()}", 0
    call_command("demo", "load", stdout=io.StringIO())
    addresses = demo_addresses()
    inside = next(a for a in addresses if a.insee_code == "42218" and a.qpv_code)
    fontanes = next(a for a in addresses if a.insee_code == FONTANES)
    today = timezone.localdate()
    birth = today.replace(year=today.year - 20) - dt.timedelta(days=30)

    relais = Side(page, live_server.url)
    login(page, live_server, RELAIS_AGENT, DEMO_PASSWORD)
    identity = _create(relais, "Ysaline", "Parcours-Démo", birth, inside)
    assert f"({inside.qpv_code}) (géographie 2024) — {DEMO_LABEL}" in identity, identity  # in that QPV
    person_url = urlparse(page.url).path
    identity = _create(relais, "Octave", "Fontanes-Démo", birth, fontanes)
    assert "QPV\nHors QPV (géographie 2024)\n" in identity, identity
    stored = {p.last_name: (p.qpv_status, p.lon is None) for p in Person.objects.filter(last_name__endswith="-Démo")}
    assert stored == {"Parcours-Démo": ("in", False), "Fontanes-Démo": ("out", True)}  # Fontanès: no geocoding

    relais.go(person_url)
    assert relais.state() == "repéré"
    relais.action("Enregistrer l'information", lambda p: None, "Enregistrer l'information")
    assert relais.state() == "contacté"
    relais.action("Identifier un frein",
                  lambda p: p.get_by_label("Thème du frein").select_option(label="Mobilité"), "Enregistrer le frein")  # fmt: skip
    assert relais.state() == "diagnostiqué"
    page.locator("#eligibilite > summary").click()
    follow(page.get_by_role("button", name="Proposer : Contrat d'engagement jeune (CEJ)"))
    relais.checked("proposer")
    page.get_by_label("Structure en charge").select_option(label=ML_NAME)
    page.get_by_role("button", name="Proposer le dispositif").click()
    page.wait_for_url(PERSON_PAGE)

    def hand_off(p):
        p.get_by_label("Structure destinataire").select_option(label=ML_NAME)
        p.get_by_label("Motif de l'orientation").fill("Entrée en CEJ : accompagnement intensif vers l'emploi.")
        p.get_by_label("Dispositif concerné (facultatif)").select_option(
            label="Contrat d'engagement jeune (CEJ) (proposée)"
        )

    relais.action("Orienter vers une structure", hand_off, "Envoyer l'orientation")
    assert relais.state() == "orienté"

    day = _next_week_working_day()
    ml_context = browser.new_context(locale="fr-FR", bypass_csp=True)
    try:
        ml_page = ml_context.new_page()
        ml_page.set_default_timeout(15000)
        ml = Side(ml_page, live_server.url)
        login(ml_page, live_server, ML_REFERENT, DEMO_PASSWORD)
        ml.go(person_url)
        ml.action("Accuser réception", lambda p: None, "Accuser réception")

        def plan(p):
            p.get_by_label("Date et heure du premier rendez-vous").fill(f"{day.isoformat()}T10:00")
            p.get_by_label("Lieu (facultatif)").fill("Accueil")

        ml.action("Prévoir le premier rendez-vous", plan, "Prévoir le rendez-vous")
        for side in (ml, relais):
            side.go("/personnes/agenda/")
            link = side.page.get_by_role("link", name="Ysaline PARCOURS-DÉMO")
            assert link.count() == 1, side.url
            item = side.page.get_by_role("listitem").filter(has=link).inner_text()
            assert item.startswith("10:00") and f"{ML_NAME} (Accueil)" in item, item
            heading = side.page.locator("section").filter(has=link).get_by_role("heading").inner_text()
            assert f" {day.day} " in heading and heading.endswith(str(day.year)), heading
        ml.go(person_url)
        ml.action("Enregistrer le rendez-vous comme tenu",
                  lambda p: p.get_by_label("Dispositif Contrat d'engagement jeune", exact=False).select_option("entree"),
                  "Enregistrer le rendez-vous tenu")  # fmt: skip
        ml_hosts = ml.hosts
    finally:
        ml_context.close()

    relais.go(person_url)
    assert relais.state() == "en parcours"
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Contrat d'engagement jeune (CEJ)"))
    assert "entrée" in row.inner_text() and ML_NAME in row.inner_text(), row.inner_text()
    cej = Mobilisation.objects.get(person__last_name="Parcours-Démo", scheme__code="cej")
    assert (cej.state, cej.structure.name) == ("entree", ML_NAME)
    assert relais.hosts | ml_hosts == {urlparse(live_server.url).netloc}
