"""The demo's fictitious geography (issue 10, item 11): perimeters around the communes' centres, labelled on every
answer, loaded only in demo mode; the local address file answers offline."""

from __future__ import annotations

import io
import socket

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.urls import reverse

from citemploi.territory.demo import (
    CENTRES,
    DEMO_LABEL,
    FONTANES,
    DemoRefusedError,
    demo_addresses,
    demo_perimeters,
    load_demo_territory,
)
from citemploi.territory.models import QPV, BanAddress, PerimeterStamp
from citemploi.territory.services import address_locate, territory_load
from citemploi.territory.tagging import tag_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_geography(settings):
    settings.DEMO_MODE = True
    settings.GEOCODER = "ban_local"
    territory_load()
    return load_demo_territory(stdout=io.StringIO())


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network call during the demo")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(("demo_mode", "production"), [(False, False), (True, True)])
def test_demo_perimeters_are_refused_outside_demo_mode(settings, demo_mode, production):
    settings.DEMO_MODE, settings.PRODUCTION = demo_mode, production
    territory_load()
    with pytest.raises(DemoRefusedError, match="mode démonstration"):
        load_demo_territory(stdout=io.StringIO())
    assert not QPV.objects.filter(geometry__isnull=False).exists() and not BanAddress.objects.exists()


def test_the_demo_command_refuses_with_a_french_command_error(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="Rien n'a été écrit"):
        call_command("demo", "load")
    assert not PerimeterStamp.objects.exists()


def test_each_qpv_of_the_list_gets_a_plausible_perimeter_around_its_communes_centre(db):
    territory_load()
    features = demo_perimeters()
    assert len(features) == 20 and {f.code for f in features} == set(
        QPV.objects.filter(in_territory=True).values_list("code", flat=True)
    )
    for i, feature in enumerate(features):
        assert feature.geometry.is_valid and feature.geometry.geom_type == "Polygon"
        for other in features[i + 1 :]:
            assert not feature.geometry.intersects(other.geometry), (feature.code, other.code)
        for insee in feature.insee_codes:  # inside its commune: a few kilometres from its centre at most
            assert feature.geometry.distance(shapely.Point(*CENTRES[insee])) < 0.03
    communes = {insee for f in features for insee in f.insee_codes}
    for insee in communes:  # every QPV commune's centre is inside exactly one of its perimeters
        holders = [f.code for f in features if f.geometry.contains(shapely.Point(*CENTRES[insee]))]
        assert len(holders) == 1 and insee in next(f for f in features if f.code == holders[0]).insee_codes


def test_the_perimeters_are_loaded_once_and_labelled_fictitious(demo_geography, settings):
    assert QPV.objects.filter(in_territory=True, geometry__isnull=False).count() == 20
    stamp = PerimeterStamp.objects.get()
    assert stamp.is_demo
    load_demo_territory(stdout=io.StringIO())  # idempotent: nothing reloaded
    assert PerimeterStamp.objects.count() == 1
    assert BanAddress.objects.count() == len(demo_geography)


def test_a_demo_address_geocodes_locally_to_its_qpv_without_network(demo_geography, no_network):
    inside = next(a for a in demo_geography if a.qpv_code == "QN04213M")
    geo, answer = address_locate(inside.line, postcode=inside.postcode, city=inside.city)
    assert geo is not None and geo.insee_code == "42218" and not geo.needs_check
    assert answer.status == "in" and answer.qpv_code == "QN04213M" and not answer.near_boundary
    assert answer.label.endswith(f"— {DEMO_LABEL}")
    outside = next(a for a in demo_geography if not a.qpv_code and a.insee_code == "42218")
    _geo, answer = address_locate(f"{outside.line} {outside.postcode} {outside.city}")
    assert answer.status == "out" and not answer.near_boundary and DEMO_LABEL in answer.label
    fontanes = next(a for a in demo_geography if a.insee_code == FONTANES)
    geo, answer = address_locate(f"{fontanes.line} {fontanes.postcode} {fontanes.city}", commune_first=True)
    assert geo is None and answer.status == "out" and DEMO_LABEL not in answer.label  # from the commune alone


def test_every_generated_address_answers_as_planned(demo_geography):
    from citemploi.territory.lookup import locate

    assert {a.qpv_code for a in demo_geography if a.qpv_code} == {f.code for f in demo_perimeters()}
    for address in demo_addresses()[::7]:
        answer = locate(address.lon, address.lat, address.insee_code)
        assert answer.qpv_code == address.qpv_code and not answer.near_boundary, address


def test_the_file_check_says_the_perimeters_are_fictitious(demo_geography, tmp_path):
    inside = demo_geography[0]
    source = tmp_path / "in.csv"
    source.write_text(f"id;lon;lat\n1;{inside.lon};{inside.lat}\n", encoding="utf-8")
    summary = tag_file(source, tmp_path / "out.csv", geocode=False)
    assert DEMO_LABEL in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert any("fictifs de démonstration" in line for line in summary.lines())


def test_the_map_and_the_address_check_label_the_perimeters(demo_geography, clients):
    page = clients["referent"].get(reverse("territory:map")).content.decode()
    assert "périmètre fictif de démonstration" in page
    assert 'data-points-url="/cite/relais-emploi/carte.json"' in page  # relais and actions drawn on the map
    data = clients["referent"].get(reverse("territory:qpv_geojson")).json()
    assert data["features"] and all(f["properties"]["fictitious"] for f in data["features"])
    inside = demo_geography[0]
    check = clients["referent"].get(
        reverse("territory:address_check"), {"address": inside.line, "postcode": inside.postcode, "city": ""}
    )
    assert "Dans le QPV" in check.content.decode() and DEMO_LABEL in check.content.decode()


def test_the_person_qpv_status_says_fictitious(demo_geography):
    from citemploi.pathways.models import Person

    qpv = QPV.objects.get(code="QN04213M")
    person = Person(qpv=qpv, qpv_status="in", qpv_generation=2024, lon=4.39, lat=45.45)
    html = render_to_string("pathways/_qpv_status.html", {"person": person, "demo_perimeters": True})
    assert DEMO_LABEL in html
    official = render_to_string("pathways/_qpv_status.html", {"person": person, "demo_perimeters": False})
    assert DEMO_LABEL not in official


@pytest.mark.parametrize("tile_url", ["", "https://tiles.example.org/{z}/{x}/{y}.png"])
def test_the_map_requests_no_tile_server_unless_configured(demo_geography, clients, settings, tile_url):
    settings.MAP_TILE_URL = tile_url
    page = clients["referent"].get(reverse("territory:map")).content.decode()
    assert ("tiles.example.org" in page) is bool(tile_url)
    if not tile_url:
        assert 'data-tile-url=""' in page and "Fond de carte non configuré" in page


def test_a_person_created_with_a_demo_address_gets_its_qpv_offline(demo_geography, no_network, client):
    from citemploi.pathways.models import Person
    from citemploi.pathways.services.locating import locate_now

    inside = next(a for a in demo_geography if a.qpv_code == "QN04202M")
    person = Person(address=inside.line, postcode=inside.postcode, city=inside.city)
    locate_now(person)
    assert person.qpv_status == "in" and person.qpv.code == "QN04202M" and person.lon is not None
    html = render_to_string("pathways/_qpv_status.html", {"person": person}, request=client.get("/").wsgi_request)
    assert DEMO_LABEL in html  # the context processor says the demo perimeters are in force
