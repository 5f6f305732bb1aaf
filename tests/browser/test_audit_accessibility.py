"""The audit log with real entries (one line each, before/after in a details element): accessible at 1366 px and
390 px, details opened by keyboard; screenshots under var/screenshots/."""

from pathlib import Path

import pytest
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.pathways import services
from tests.browser.conftest import axe_violations, login
from tests.factories.accounts import TEST_PASSWORD, user_with_role
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_change_history_is_accessible_with_entries(page, live_server, settings, width):
    settings.DEMO_MODE = True
    coordinator = user_with_role(Role.COORDINATOR, email="coord@exemple.test", is_demo_account=True)
    person = make_person(by=coordinator, referent=False, first_name="Lina", last_name="Perret", rqth=True)
    services.contact_record(by=coordinator, person=person, kind="rdv", happened_at=timezone.now(), note="note")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/audit/modifications/")
    summary = page.locator("details summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details[open]").count() == 1
    assert axe_violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"audit-modifications-{width}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"audit-modifications-{width}-top.png"))


@pytest.mark.parametrize("width", [1366, 390])
def test_the_login_list_is_accessible(page, live_server, settings, width):
    settings.DEMO_MODE = True
    user_with_role(Role.COORDINATOR, email="coord@exemple.test", is_demo_account=True)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "coord@exemple.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/audit/connexions/")
    assert page.get_by_role("cell", name="coord@exemple.test").count() >= 1
    assert axe_violations(page) == []
