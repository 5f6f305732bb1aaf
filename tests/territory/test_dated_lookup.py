"""The lookup takes a date and uses the geography in force then (issue 11.5), and a commune without QPV answers
without geocoding (issue 10.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from citemploi.territory.lookup import commune_answer, generation_in_force, locate
from citemploi.territory.models import QPV, Commune
from citemploi.territory.perimeters import PerimeterFeature
from citemploi.territory.services import qpv_perimeter_set, qpv_perimeters_replace
from tests.factories.territory import ensure_territory, load_square_qpv, square_around
from tests.territory.conftest import SAINT_ETIENNE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "insee", "generation"),
    [
        (dt.date(2014, 12, 31), "42218", None),
        (dt.date(2015, 1, 1), "42218", 2015),
        (dt.date(2023, 12, 31), "42218", 2015),
        (dt.date(2024, 1, 1), "42218", 2024),
        (dt.date(2024, 12, 31), "97411", 2015),  # overseas: the 2024 geography from 1 January 2025
        (dt.date(2025, 1, 1), "97411", 2024),
    ],
)
def test_generation_in_force(day, insee, generation):
    assert generation_in_force(day, insee) == generation


def test_a_past_date_without_its_geography_is_unknown_never_the_2024_answer():
    load_square_qpv()
    assert locate(*SAINT_ETIENNE, "42218").status == "in"
    assert locate(*SAINT_ETIENNE, "42218", on=dt.date(2024, 1, 1)).status == "in"
    past = locate(*SAINT_ETIENNE, "42218", on=dt.date(2023, 12, 31))
    assert (past.status, past.qpv_code) == ("unknown", "")
    assert past.label == "Inconnu : la géographie 2015 n'est pas chargée"
    assert locate(*SAINT_ETIENNE, "42218", on=dt.date(2010, 1, 1)).status == "unknown"
    # Fontanès has no 2024 QPV, but its 2015 list is not known: no shortcut for 2023.
    assert commune_answer("", postcode="42140").status == "out"
    assert commune_answer("", postcode="42140", on=dt.date(2023, 6, 1)) is None


def _qpv_2015(code: str = "QP042099") -> QPV:
    qpv = QPV.objects.create(code=code, name="Quartier 2015", generation=2015, in_territory=True)
    qpv.communes.add(Commune.objects.get(insee_code="42218"))
    return qpv


def test_each_date_is_answered_with_its_own_map():
    load_square_qpv()  # 2024: a square around the point
    ensure_territory()
    _qpv_2015()
    lon, lat = SAINT_ETIENNE
    qpv_perimeter_set(code="QP042099", geometry=square_around(lon + 0.02, lat, 400), generation=2015)
    assert locate(lon, lat, "42218").qpv_code == "QN04299M"
    in_2023 = locate(lon, lat, "42218", on=dt.date(2023, 6, 1))
    assert in_2023.status in ("out", "unknown") and in_2023.qpv_code == ""
    moved = locate(lon + 0.02, lat, "42218", on=dt.date(2023, 6, 1))
    assert (moved.status, moved.qpv_code, moved.generation) == ("in", "QP042099", 2015)
    assert locate(lon + 0.02, lat, "42218").qpv_code == ""  # not a QPV any more in 2024


def test_importing_one_generation_keeps_the_other():
    load_square_qpv()
    ensure_territory()
    _qpv_2015()
    feature = PerimeterFeature(
        code="QP042099",
        name="Quartier 2015",
        insee_codes=("42218",),
        commune_names=("Saint-Étienne",),
        geometry=square_around(SAINT_ETIENNE[0] + 0.02, SAINT_ETIENNE[1], 400),
    )
    qpv_perimeters_replace(features=[feature], generation=2015, scope="department")
    assert QPV.objects.get(code="QN04299M").geometry is not None
    assert locate(*SAINT_ETIENNE, "42218").qpv_code == "QN04299M"


def test_the_map_and_the_status_show_the_current_geography():
    from citemploi.territory import selectors

    load_square_qpv()
    before = selectors.perimeter_status()
    _qpv_2015()
    qpv_perimeter_set(code="QP042099", geometry=square_around(4.41, 45.44, 400), generation=2015)
    after = selectors.perimeter_status()
    assert (after.qpvs_in_territory, after.loaded_in_territory) == (
        before.qpvs_in_territory,
        before.loaded_in_territory,
    )
    codes = {f["properties"]["code"] for f in selectors.qpv_geojson()["features"]}
    assert "QN04299M" in codes and "QP042099" not in codes
