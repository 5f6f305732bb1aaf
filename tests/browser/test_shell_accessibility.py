"""axe-core in Chromium: 0 serious/critical violations on the shell pages; keyboard reaches the content."""

import pytest

from citemploi.accounts.models import Role
from tests.browser.conftest import axe_violations, login
from tests.factories.accounts import TEST_PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_accessible_and_wrong_password_is_announced(page, live_server):
    user_with_role(Role.RELAIS_AGENT, email="agent@exemple.test")
    page.goto(f"{live_server.url}/comptes/connexion/")
    assert page.title() == "Connexion — Cité de l'emploi"
    assert axe_violations(page) == []
    login(page, live_server, "agent@exemple.test", "pas-le-bon")
    assert "Adresse e-mail ou mot de passe incorrect" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", [Role.RELAIS_AGENT, Role.STATE_COPILOT])
def test_home_page_is_accessible(page, live_server, role):
    user_with_role(role, email="agent@exemple.test")
    login(page, live_server, "agent@exemple.test", TEST_PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert axe_violations(page) == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, live_server):
    page.goto(f"{live_server.url}/legal/accessibilite/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/audit/modifications/",
        "/audit/acces/",
        "/gestion/structures/",
        "/gestion/structures/nouvelle/",
        "/comptes/compte/",
        "/personnes/doublons-a-verifier/",
    ],
)
@pytest.mark.parametrize("width", [1366, 390])
def test_coordination_pages_are_accessible(page, live_server, settings, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    settings.DEMO_MODE = True  # the demo coordinator skips TOTP; the banner is part of the page checked
    user_with_role(Role.COORDINATOR, email="coord@exemple.test", is_demo_account=True)
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_two_factor_setup_page_is_accessible(page, live_server):
    user_with_role(Role.COORDINATOR, email="coord@exemple.test")
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    assert "/double-authentification/activer/" in page.url
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1366, 390])
def test_role_confirmation_step_is_accessible(page, live_server, settings, width):
    from tests.factories.accounts import StructureFactory

    page.set_viewport_size({"width": width, "height": 900})
    settings.DEMO_MODE = True
    coordination = StructureFactory(coordination=True)
    user_with_role(Role.COORDINATOR, coordination, email="coord@exemple.test", is_demo_account=True)
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/gestion/structures/{coordination.public_id}/")
    page.locator("#id_email").fill("nouvelle@exemple.test")
    page.locator("#id_first_name").fill("Nouvelle")
    page.locator("#id_last_name").fill("Coordinatrice")
    page.locator("#id_role").select_option("coordinator")
    page.get_by_role("button", name="Ajouter").click()
    assert "ouvre toutes les fiches personnelles" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Je confirme attribuer ce rôle").check()
    page.get_by_role("button", name="Confirmer l'attribution").click()
    assert "a maintenant ce rôle" in page.locator("main").inner_text()


@pytest.mark.parametrize("width", [1366, 390])
def test_recovery_codes_page_is_accessible(page, live_server, width):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.set_viewport_size({"width": width, "height": 900})
    user = user_with_role(Role.COORDINATOR, email="coord@exemple.test")
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code à 6 chiffres").fill(code)
    page.get_by_role("button", name="Activer").click()
    assert page.locator("h1").inner_text() == "Vos codes de secours"
    assert axe_violations(page) == []
