"""The territory map of the offline demo (issue 10, item 11): the fictitious perimeters, the relais and the actions
drawn on a plain background, no request leaves the server, axe-core finds nothing serious (1366 px and 390 px)."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from citemploi.accounts.models import Role
from citemploi.territory.demo import load_demo_territory
from citemploi.territory.services import territory_load
from tests.browser.conftest import axe_violations
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.partners import ActionFactory, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_demo_map_draws_everything_offline(page, live_server, settings, width):
    settings.DEMO_MODE, settings.GEOCODER, settings.MAP_TILE_URL = True, "ban_local", ""
    territory_load()
    load_demo_territory(stdout=io.StringIO())
    relais = StructureFactory(relais=True, name="Relais emploi Montreynaud")
    ProfileFactory(structure=relais, longitude=4.40, latitude=45.45)
    ActionFactory(carrier=relais, longitude=4.38, latitude=45.43)
    client = Client()
    client.force_login(user_with_role(Role.RELAIS_AGENT, relais, email="referente@exemple.test"))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    response = page.goto(f"{live_server.url}{reverse('territory:map')}")
    assert response is not None and response.status == 200
    page.locator("path.leaflet-interactive").nth(21).wait_for()  # 20 perimeters + the relais + the action
    assert page.locator("path.leaflet-interactive").count() == 22
    assert hosts == {urlparse(live_server.url).netloc}  # no tile server, nothing from the network
    assert "périmètre fictif de démonstration" in page.inner_text("main")
    assert axe_violations(page) == []
