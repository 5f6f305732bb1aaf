"""Demo territory (issue 10, item 11): fictitious QPV perimeters and a local address file, so the demo answers
« dans / hors QPV » without any network.

- **Perimeters**: one plausible polygon per QPV of the reference list (the 20 of the Métropole, 2024 geography),
  generated around the centre of its commune(s) — the commune's central QPV covers the centre, the others sit on
  a ring around it, a QPV spanning two communes lies between their centres. They are FICTITIOUS: every answer
  made with them says « périmètre fictif de démonstration » (``is_demo_stamp``). Loaded only in demo mode; an
  official import (``citemploi qpv import``) replaces them, and the demo then keeps the official ones.
- **Addresses**: a BAN-format CSV (``var/demo/adresses-demo.csv``) of the demo's fictitious streets — inside each
  demo perimeter, outside them in the same communes, and in Fontanès (a commune without QPV) — imported like the
  departmental file for the local geocoder (GEOCODER=ban_local).

The reference data has no commune coordinates: ``CENTRES`` holds approximate town-hall coordinates of the
communes the demo uses. They only place fictitious shapes; they are not reference geography.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from dataclasses import dataclass
from io import TextIOBase
from pathlib import Path
from typing import TextIO

import shapely
from django.conf import settings
from shapely.geometry.base import BaseGeometry

from citemploi.territory.geometry import ZONE_BY_NAME, project_geometry
from citemploi.territory.models import (
    DEMO_PERIMETER_SOURCE,
    QPV,
    BanAddress,
    Commune,
    PerimeterStamp,
)
from citemploi.territory.perimeters import PerimeterFeature
from citemploi.territory.services import BAN_COLUMNS, ban_addresses_import, qpv_perimeters_replace

#: What every answer made with these perimeters says; the import's source, which identifies them.
DEMO_LABEL = "périmètre fictif de démonstration"  # the French text of DEMO_PERIMETER_LABEL
DEMO_SOURCE = DEMO_PERIMETER_SOURCE
DEMO_BAN_PREFIX = "demo_"
GENERATION = 2024

#: Approximate centres (WGS84 lon, lat) of the communes of the demo (see the module docstring).
CENTRES: dict[str, tuple[float, float]] = {
    "42218": (4.3872, 45.4397),  # Saint-Étienne
    "42005": (4.2603, 45.5264),  # Andrézieux-Bouthéon
    "42207": (4.5153, 45.4775),  # Saint-Chamond
    "42186": (4.6178, 45.5289),  # Rive-de-Gier
    "42095": (4.2886, 45.3883),  # Firminy
    "42183": (4.3669, 45.4036),  # La Ricamarie
    "42044": (4.3247, 45.3917),  # Le Chambon-Feugerolles
    "42103": (4.5667, 45.5036),  # La Grand-Croix
    "42271": (4.5731, 45.4856),  # Saint-Paul-en-Jarez
    "42096": (4.4372, 45.5456),  # Fontanès (no QPV)
}
FONTANES = "42096"
BLOB_RADIUS_M = 380.0
RING_RADIUS_M = 1700.0
OUTSIDE_RADIUS_M = 950.0  # between the central perimeter and the ring: outside every perimeter
#: Fictitious street names (no real street of the Loire bears them): one per perimeter, one outside per commune.
STREETS_IN = ["rue Imaginaire", "allée Fictive", "impasse de la Démonstration", "place de l'Exemple", "rue Inventée",
              "chemin du Jeu d'Essai", "cours Factice", "square du Simulacre", "avenue de la Maquette",
              "rue du Prototype", "allée de l'Esquisse", "rue de la Répétition", "boulevard du Brouillon",
              "passage de l'Ébauche", "rue de la Simulation", "place du Modèle", "rue de l'Essai",
              "allée du Scénario", "impasse du Canevas", "rue de la Fiction"]  # fmt: skip
STREET_OUT = "rue Hors-Quartier"
STREET_FONTANES = "route de la Démonstration"
HOUSES = 12


class DemoRefusedError(Exception):
    """Demo geography outside demo mode (French message)."""


@dataclass(frozen=True)
class DemoAddress:
    """One generated address: what a user types, where it is, and the QPV it is in ('' when outside)."""

    number: int
    street: str
    postcode: str
    city: str
    insee_code: str
    lon: float
    lat: float
    qpv_code: str

    @property
    def line(self) -> str:
        return f"{self.number} {self.street}"

    @property
    def ban_id(self) -> str:
        digest = hashlib.sha1(self.street.encode(), usedforsecurity=False).hexdigest()[:6]
        return f"{DEMO_BAN_PREFIX}{self.insee_code}_{digest}_{self.number:05d}"


def _metres(lon: float, lat: float) -> tuple[float, float]:
    point = project_geometry(shapely.Point(lon, lat), ZONE_BY_NAME["metropole"])
    return point.x, point.y


def _degrees(geometry: BaseGeometry) -> BaseGeometry:
    return project_geometry(geometry, ZONE_BY_NAME["metropole"], inverse=True)


def _blob(x: float, y: float, code: str, radius: float = BLOB_RADIUS_M) -> shapely.Polygon:
    """An irregular, plausible neighbourhood outline (11 vertices, seeded by the QPV code) around (x, y)."""
    rng = random.Random(code)  # noqa: S311 — geometry of fictitious data, not security
    points = []
    for k in range(11):
        angle = 2 * math.pi * k / 11 + rng.uniform(-0.12, 0.12)
        r = radius * rng.uniform(0.8, 1.1)
        points.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    return shapely.Polygon(points)


def _qpv_rows() -> list[dict[str, str]]:
    from citemploi.territory.services import _read

    return _read("qpv2024_saint_etienne_metropole.csv")


def demo_perimeters() -> list[PerimeterFeature]:
    """The fictitious perimeters of the 20 QPV of the Métropole (deterministic: the same on every run)."""
    rows = _qpv_rows()
    by_commune: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        for insee in row["insee_com"].split(";"):
            by_commune.setdefault(insee, []).append(row)
    central: dict[str, str] = {}  # commune → the QPV covering its centre
    for insee, qpvs in by_commune.items():
        own = [q for q in qpvs if ";" not in q["insee_com"]]
        pick = next((q for q in own if "centre" in q["lib_qp"].lower()), own[0] if own else qpvs[0])
        central[insee] = pick["code_qp"]
    features = []
    for row in rows:
        insees = row["insee_com"].split(";")
        centres = [_metres(*CENTRES[i]) for i in insees]
        covered = [c for i, c in zip(insees, centres, strict=True) if central[i] == row["code_qp"]]
        if covered:  # the central QPV of one or two communes: around (and between) their centres
            geometry = shapely.union_all([_blob(x, y, row["code_qp"] + str(n)) for n, (x, y) in enumerate(covered)])
            geometry = geometry.convex_hull if len(covered) > 1 else geometry
        elif len(centres) > 1:  # across the boundary of two communes: between their centres
            geometry = _blob(sum(c[0] for c in centres) / 2, sum(c[1] for c in centres) / 2, row["code_qp"])
        else:  # another QPV of the commune: on a ring around its centre
            others = [q["code_qp"] for q in by_commune[insees[0]] if q["code_qp"] != central[insees[0]]]
            others = [c for c in others if ";" not in next(r["insee_com"] for r in rows if r["code_qp"] == c)]
            angle = 2 * math.pi * others.index(row["code_qp"]) / len(others) + 0.4
            x, y = centres[0]
            geometry = _blob(x + RING_RADIUS_M * math.cos(angle), y + RING_RADIUS_M * math.sin(angle), row["code_qp"])
        features.append(
            PerimeterFeature(
                code=row["code_qp"],
                name=row["lib_qp"],
                insee_codes=tuple(insees),
                commune_names=tuple(row["lib_com"].split(";")),
                geometry=shapely.set_precision(_degrees(geometry), 1e-6),
            )
        )
    return features


def demo_addresses(features: list[PerimeterFeature] | None = None) -> list[DemoAddress]:
    """The demo's fictitious addresses: 12 houses inside each perimeter, 12 outside in each QPV commune, 12 in
    Fontanès. Inside points stay well away from the boundary (never « à vérifier »)."""
    features = features if features is not None else demo_perimeters()
    names = {c.insee_code: (c.name, c.postcode_list) for c in Commune.objects.filter(insee_code__in=CENTRES)}
    addresses = []
    for n, feature in enumerate(features):
        insee = feature.insee_codes[0]
        inner = project_geometry(feature.geometry, ZONE_BY_NAME["metropole"]).buffer(-120)
        centre = inner.representative_point()
        for house in range(1, HOUSES + 1):
            angle = 2 * math.pi * house / HOUSES
            x, y = centre.x + 60 * math.cos(angle), centre.y + 60 * math.sin(angle)
            addresses.append(_address(house, STREETS_IN[n % len(STREETS_IN)], insee, names, x, y, feature.code))
    communes = sorted({i for f in features for i in f.insee_codes}) + [FONTANES]
    shapes = shapely.union_all([project_geometry(f.geometry, ZONE_BY_NAME["metropole"]) for f in features])
    for insee in communes:
        street = STREET_FONTANES if insee == FONTANES else STREET_OUT
        for house, (x, y) in enumerate(_outside_arc(_metres(*CENTRES[insee]), shapes), start=1):
            addresses.append(_address(house, street, insee, names, x, y, ""))
    return addresses


def _outside_arc(centre: tuple[float, float], shapes: BaseGeometry) -> list[tuple[float, float]]:
    """HOUSES points on a short arc around the commune's centre, in the direction farthest from any perimeter."""

    def arc(start: float) -> list[tuple[float, float]]:
        angles = [start + 2 * math.pi * h / HOUSES / 6 for h in range(HOUSES)]
        return [
            (centre[0] + OUTSIDE_RADIUS_M * math.cos(a), centre[1] + OUTSIDE_RADIUS_M * math.sin(a)) for a in angles
        ]

    candidates = [arc(2 * math.pi * k / 24) for k in range(24)]
    return max(candidates, key=lambda points: min(shapes.distance(shapely.Point(p)) for p in points))


def _address(
    house: int, street: str, insee: str, names: dict[str, tuple[str, list[str]]], x: float, y: float, qpv: str
) -> DemoAddress:
    point = _degrees(shapely.Point(x, y))
    city, postcodes = names.get(insee, (insee, [""]))
    return DemoAddress(house, street, postcodes[0] if postcodes else "", city, insee,
                       round(point.x, 6), round(point.y, 6), qpv)  # fmt: skip


def is_demo_stamp(stamp: PerimeterStamp | None) -> bool:
    return stamp is not None and stamp.is_demo


def demo_perimeters_in_force() -> bool:
    """Whether the perimeters of the current geography are the fictitious demo ones (the latest full import)."""
    latest = PerimeterStamp.objects.exclude(scope=PerimeterStamp.Scope.TEST).filter(generation=GENERATION).first()
    return is_demo_stamp(latest)


def write_ban_file(addresses: list[DemoAddress], path: Path) -> Path:
    """The addresses in the BAN departmental format (semicolon CSV), for ``citemploi ban import``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(BAN_COLUMNS)
        for a in addresses:
            writer.writerow([a.ban_id, a.number, "", a.street, a.postcode, a.insee_code, a.city, a.lon, a.lat])
    return path


def ban_file_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "demo" / "adresses-demo.csv"


def load_demo_territory(*, stdout: TextIOBase | TextIO) -> list[DemoAddress]:
    """Load the fictitious perimeters (unless official ones are loaded) and the demo addresses. Idempotent.

    Refused outside demo mode (DemoRefusedError): fictitious perimeters must never answer on a real platform."""
    if not settings.DEMO_MODE or settings.PRODUCTION:
        raise DemoRefusedError(
            "Les périmètres fictifs de démonstration ne se chargent qu'en mode démonstration (DEMO_MODE=true), "
            "jamais avec le profil de production. Rien n'a été écrit."
        )
    features = demo_perimeters()
    latest = PerimeterStamp.objects.exclude(scope=PerimeterStamp.Scope.TEST).filter(generation=GENERATION).first()
    version = hashlib.sha256(b"".join(shapely.to_wkb(f.geometry) for f in features)).hexdigest()[:40]
    if latest is not None and not is_demo_stamp(latest):
        stdout.write("Démo territoire : périmètres officiels déjà chargés, conservés (pas de périmètres fictifs).\n")
    elif latest is None or latest.version != version or QPV.objects.filter(geometry__isnull=False).count() == 0:
        stamp = qpv_perimeters_replace(
            features=features, generation=GENERATION, scope=PerimeterStamp.Scope.EPCI, source=DEMO_SOURCE
        )
        PerimeterStamp.objects.filter(pk=stamp.pk).update(version=version)
        stdout.write(f"Démo territoire : {len(features)} périmètres QPV fictifs de démonstration chargés.\n")
    addresses = demo_addresses(features)
    if BanAddress.objects.filter(ban_id__startswith=DEMO_BAN_PREFIX).count() != len(addresses):
        path = write_ban_file(addresses, ban_file_path())
        imported = ban_addresses_import(path=path)
        stdout.write(f"Démo territoire : {imported.stored} adresses fictives importées ({path}).\n")
    samples = [next(a for a in addresses if a.qpv_code), next(a for a in addresses if not a.qpv_code)]
    samples.append(next(a for a in addresses if a.insee_code == FONTANES))
    stdout.write("Démo territoire : adresses à essayer : " + " ; ".join(_typed(a) for a in samples) + ".\n")
    return addresses


def _typed(address: DemoAddress) -> str:
    return f"« {address.line}, {address.postcode} {address.city} »"
