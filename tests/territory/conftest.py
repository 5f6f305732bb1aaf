"""Territory fixtures: perimeter files in the official ANCT format, built by the tests (no shipped geography)."""

from __future__ import annotations

import csv
import json

import pytest
import shapely

from citemploi.territory.services import DATA_DIR as DATA
from tests.factories.territory import ensure_territory, square_around

# Points in Saint-Étienne (42218) and Le Chambon-Feugerolles (42044) / La Ricamarie (42183).
SAINT_ETIENNE = (4.3900, 45.4400)
CHAMBON = (4.3250, 45.3950)


def feature(code, name, insee, communes, geometry):
    return {
        "type": "Feature",
        "properties": {"code_qp": code, "lib_qp": name, "insee_com": insee, "lib_com": communes, "insee_dep": "42"},
        "geometry": json.loads(shapely.to_geojson(geometry)),
    }


def write_collection(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


PLACED = {"QN04211M": SAINT_ETIENNE, "QN04204M": CHAMBON}


def loire_features(size_m=400):
    """One square per QPV of the Loire (the reference list), QN04211M and QN04204M on the test points, the others
    on a row far to the north-west so that they never interfere."""
    features = []
    with (DATA / "qpv2024_loire_42.csv").open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            lon, lat = PLACED.get(row["code_qp"], (4.0 + 0.02 * i, 45.9))
            features.append(
                feature(
                    row["code_qp"], row["lib_qp"], row["insee_com"], row["lib_com"], square_around(lon, lat, size_m)
                )
            )
    return features


@pytest.fixture
def perimeters_file(tmp_path, db):
    """The official format: every QPV of the Loire (QN04204M spans Le Chambon-Feugerolles and La Ricamarie),
    plus one QPV of another department that the department scope leaves out."""
    ensure_territory()
    outside = feature("QN06901M", "Hors territoire", "69123", "Lyon", square_around(4.85, 45.75, 400))
    return write_collection(tmp_path / "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson", [*loire_features(), outside])


@pytest.fixture
def ban_file(tmp_path):
    """A small BAN file (semicolon separated, gzipped) around the test points."""
    import gzip

    header = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles"
    lon, lat = SAINT_ETIENNE
    rows = [
        ("42218_1000_00012_bis", "12", "bis", "Avenue de la Libération", "42000", "42218", "Saint-Étienne", lon, lat),
        ("42218_1000_00012", "12", "", "Avenue de la Libération", "42000", "42218", "Saint-Étienne", lon + 0.0001, lat),
        ("42218_1000_00014", "14", "", "Avenue de la Libération", "42000", "42218", "Saint-Étienne", lon + 0.0002, lat),
        (
            "42218_2000_00003",
            "3",
            "",
            "Boulevard Jules Janin",
            "42000",
            "42218",
            "Saint-Étienne",
            lon + 0.01,
            lat + 0.01,
        ),
        ("42218_3000_00007", "7", "", "Chemin de Saint-Just", "42100", "42218", "Saint-Étienne", lon + 0.02, lat),
        ("42183_1000_00005", "5", "", "Impasse des Mineurs", "42150", "42183", "La Ricamarie", *CHAMBON),
    ]
    path = tmp_path / "adresses-42.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for ban_id, number, rep, street, postcode, insee, city, x, y in rows:
            handle.write(
                f"{ban_id};;{number};{rep};{street};{postcode};{insee};{city};;;;;{x};{y};entrée;;;{city.upper()};;commune;commune;;\n"
            )
    return path
