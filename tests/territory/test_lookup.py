"""Address point → QPV: the rules of DOMAIN.md §2, through the command and the lookup service."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citemploi.territory.lookup import PerimeterIndex, get_index, locate
from citemploi.territory.models import QPV, PerimeterStamp
from tests.factories.territory import ensure_territory, load_square_qpv
from tests.territory.conftest import CHAMBON, SAINT_ETIENNE, feature, write_collection

# Metres → degrees near Saint-Étienne (good enough to place a test point a few metres from a limit).
M_LON = 1 / (111_320 * np.cos(np.radians(45.44)))


@pytest.mark.django_db
def test_communes_without_qpv_are_out_with_no_perimeter_loaded():
    ensure_territory()
    assert not QPV.objects.filter(geometry__isnull=False).exists()
    for insee, lon, lat in [("42001", 4.27, 45.60), ("42005", 4.26, 45.53), ("42032", 4.42, 45.52)]:
        if QPV.objects.filter(communes__insee_code=insee).exists():
            continue
        answer = locate(lon, lat, insee)
        assert answer.status == "out"
        assert answer.label == "Hors QPV"
        assert answer.distance_m is None


@pytest.mark.django_db
def test_commune_with_a_qpv_and_no_perimeter_is_unknown():
    ensure_territory()
    answer = locate(*SAINT_ETIENNE, "42218")
    assert answer.status == "unknown"
    assert answer.label == "Inconnu : périmètres non chargés"
    assert locate(*SAINT_ETIENNE).status == "unknown"  # no commune given: cannot be certain either


@pytest.fixture
def imported(perimeters_file):
    call_command("qpv", "import", str(perimeters_file))
    return perimeters_file


def test_inside_outside_and_near_the_boundary(imported):
    lon, lat = SAINT_ETIENNE
    inside = locate(lon, lat, "42218")
    assert (inside.status, inside.qpv_code, inside.generation, inside.near_boundary) == ("in", "QN04211M", 2024, False)
    assert inside.label.startswith("Dans le QPV Cotonne Montferré (QN04211M)")
    assert inside.distance_m == pytest.approx(200, abs=1)

    just_out = locate(lon + 210 * M_LON, lat, "42218")  # 10 m outside the east side
    assert (just_out.status, just_out.near_boundary) == ("out", True)
    assert just_out.distance_m == pytest.approx(10, abs=1.5)
    assert just_out.label == "À vérifier (10 m de la limite)"

    just_in = locate(lon + 190 * M_LON, lat, "42218")
    assert (just_in.status, just_in.qpv_code, just_in.near_boundary) == ("in", "QN04211M", True)

    far = locate(lon + 2000 * M_LON, lat, "42218")
    assert (far.status, far.near_boundary, far.label) == ("out", False, "Hors QPV")


def test_a_qpv_spanning_two_communes_answers_from_either_commune(imported):
    for insee in ("42044", "42183", None):
        answer = locate(*CHAMBON, insee)
        assert (answer.status, answer.qpv_code) == ("in", "QN04204M")
    assert set(QPV.objects.get(code="QN04204M").communes.values_list("insee_code", flat=True)) == {"42044", "42183"}


def test_import_keeps_the_department_reports_and_is_idempotent(perimeters_file, capsys):
    call_command("qpv", "import", str(perimeters_file))
    first = capsys.readouterr().out
    assert "25 objet(s) lu(s), 24 périmètre(s) QPV chargés (génération 2024)" in first
    call_command("qpv", "import", str(perimeters_file))
    assert QPV.objects.filter(geometry__isnull=False).count() == 24
    assert not QPV.objects.filter(code="QN06901M").exists()
    assert PerimeterStamp.objects.count() == 2


def test_import_all_france_and_epci_scope(perimeters_file, settings):
    call_command("qpv", "import", str(perimeters_file), "--all")
    assert QPV.objects.get(code="QN06901M").communes.get().insee_code == "69123"
    assert locate(4.85, 45.75, "69123").status == "in"
    settings.QPV_IMPORT_SCOPE = "epci"
    call_command("qpv", "import", str(perimeters_file))
    assert QPV.objects.filter(geometry__isnull=False, in_territory=False).count() == 0
    # Montbrison (42147) is outside the Métropole: its QPV is not loaded, so its addresses are unknown.
    assert locate(4.06, 45.61, "42147").status == "unknown"


def test_invalid_geometry_is_repaired(tmp_path, db, capsys):
    ensure_territory()
    import shapely

    bowtie = shapely.Polygon([(4.38, 45.43), (4.40, 45.45), (4.40, 45.43), (4.38, 45.45), (4.38, 45.43)])
    assert not bowtie.is_valid
    path = write_collection(tmp_path / "qp.geojson", [feature("QN04211M", "Cotonne", "42218", "Saint-Étienne", bowtie)])
    call_command("qpv", "import", str(path))
    assert "réparées : QN04211M" in capsys.readouterr().out
    assert locate(4.385, 45.44, "42218").status == "in"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "n'est pas un fichier GeoJSON lisible"),
        ('{"type": "Feature"}', "n'est pas une FeatureCollection"),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"lib_qp": "x"}}]}',
            "propriété(s) manquante(s) code_qp",
        ),
        ('{"type": "FeatureCollection", "features": []}', "Aucun périmètre du territoire"),
    ],
)
def test_bad_perimeter_files_stop_with_a_clear_message(tmp_path, db, content, message):
    ensure_territory()
    path = tmp_path / "qp.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("qpv", "import", str(path))
    assert not QPV.objects.filter(geometry__isnull=False).exists()


def test_lambert93_file_is_refused(tmp_path, db):
    ensure_territory()
    import shapely

    square = shapely.box(800_000, 6_500_000, 800_400, 6_500_400)
    path = write_collection(tmp_path / "qp.geojson", [feature("QN04211M", "Cotonne", "42218", "Saint-Étienne", square)])
    with pytest.raises(CommandError, match="WGS84"):
        call_command("qpv", "import", str(path))


def test_zip_holding_the_file_is_read(perimeters_file, tmp_path):
    import zipfile

    archive = tmp_path / "qpv.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("GEOJSON/lisez-moi.txt", "rien")
        handle.write(perimeters_file, "GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson")
    call_command("qpv", "import", str(archive))
    assert QPV.objects.filter(geometry__isnull=False).count() == 24


@pytest.mark.django_db
def test_the_index_is_rebuilt_when_perimeters_change():
    ensure_territory()
    first = get_index()
    assert get_index() is first  # same version: no rebuild
    load_square_qpv(code="QN04211M", insee="42218", lon=4.39, lat=45.44)
    second = get_index()
    assert second is not first
    assert second.perimeter_count == 1


def test_out_of_france_and_swapped_coordinates_are_errors(imported):
    assert locate(-74.0, 40.7).status == "error"
    swapped = locate(45.44, 4.39)
    assert swapped.status == "error" and "inversées" in swapped.message


def test_batch_and_single_answers_agree(imported):
    index = PerimeterIndex.build()
    lon = np.array([SAINT_ETIENNE[0], SAINT_ETIENNE[0] + 210 * M_LON, CHAMBON[0], np.nan])
    lat = np.array([SAINT_ETIENNE[1], SAINT_ETIENNE[1], CHAMBON[1], 45.0])
    answers = index.locate_many(lon, lat, ["42218", "42218", "42183", ""])
    assert list(answers.status) == ["in", "out", "in", "error"]
    assert list(answers.near_boundary) == [False, True, False, False]


def test_download_offline_is_a_clear_error(db, settings, tmp_path):
    settings.QPV_DOWNLOAD_URL = "http://127.0.0.1:9/qpv.zip"  # connection refused: no network involved
    with pytest.raises(CommandError, match="pas d'accès au réseau"):
        call_command("qpv", "download", "--output", str(tmp_path / "qpv.zip"))
    assert list(tmp_path.iterdir()) == []
