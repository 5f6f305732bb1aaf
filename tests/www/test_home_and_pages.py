import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_home_lists_only_what_the_role_can_do(world, clients):
    coordinator_home = clients["coordinator"].get(reverse("www:home")).content.decode()
    referent_home = clients["referent"].get(reverse("www:home")).content.decode()
    assert reverse("audit:changes") in coordinator_home
    assert reverse("audit:changes") not in referent_home
    assert "Agent de relais emploi — Relais emploi Montreynaud" in referent_home


def test_user_without_structure_is_told_what_to_do():
    client = Client()
    client.force_login(UserFactory())
    assert "rattaché à aucune structure" in client.get(reverse("www:home")).content.decode()


@pytest.mark.parametrize("page", ["mentions-legales", "donnees-personnelles", "accessibilite"])
def test_legal_pages_are_public(page):
    response = Client().get(reverse("www:legal", args=[page]))
    assert response.status_code == 200
    assert "Saint-Étienne Métropole" in response.content.decode()


def test_unknown_page_gets_the_designed_404(world, clients):
    response = clients["referent"].get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_role_without_access_gets_the_designed_403(world, clients):
    response = clients["referent"].get(reverse("audit:changes"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_pages_carry_the_security_headers(world, clients):
    response = clients["referent"].get(reverse("www:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_brand_colour_comes_from_settings(settings):
    settings.BRAND = {**settings.BRAND, "primary_color": "#224466"}
    assert "--brand-primary:#224466" in Client().get(reverse("www:brand_css")).content.decode()
