"""Reading the official ANCT perimeters file (GeoJSON FeatureCollection in WGS84, or a zip that holds it).

Features carry ``code_qp``, ``lib_qp``, ``insee_com``, ``lib_com`` (names of the data.gouv.fr file
``QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson``). A QPV spanning two communes may come as one feature listing
both communes (``;`` or ``,`` separated) or as one feature per commune: parts of one code are merged.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from citemploi.territory.geometry import zone_codes

REQUIRED = ("code_qp", "lib_qp", "insee_com")


@dataclass(frozen=True)
class PerimeterFeature:
    """One QPV perimeter read from the official file (WGS84, valid)."""

    code: str
    name: str
    insee_codes: tuple[str, ...]
    commune_names: tuple[str, ...]
    geometry: BaseGeometry


class PerimeterFileError(Exception):
    """The file cannot be used as a whole; the message is French and says what to do."""


@dataclass
class ReadReport:
    features: list[PerimeterFeature]
    read: int = 0
    repaired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_perimeters(path: Path, *, keep: Any = None) -> ReadReport:
    """Read and repair the perimeters of ``path``; ``keep(code_qp, insee_codes)`` says which QPV to keep."""
    collection = _load_json(path)
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or collection.get("type") != "FeatureCollection":
        raise PerimeterFileError(f"{path.name} n'est pas une FeatureCollection GeoJSON.")
    report = ReadReport(features=[], read=len(features))
    merged: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(features, start=1):
        properties = _properties(feature, number)
        codes = _split(properties["insee_com"])
        if keep is not None and not keep(properties["code_qp"], codes):
            continue
        entry = merged.setdefault(
            properties["code_qp"], {"name": properties["lib_qp"], "insee": [], "names": [], "parts": []}
        )
        for code, name in zip(codes, _split(properties.get("lib_com") or "") + [""] * len(codes), strict=False):
            if code not in entry["insee"]:
                entry["insee"].append(code)
                entry["names"].append(name)
        entry["parts"].append(_geometry(feature, properties["code_qp"]))
    for code, entry in sorted(merged.items()):
        geometry = _repair(code, entry["parts"], report)
        if geometry is not None:
            report.features.append(
                PerimeterFeature(code, entry["name"], tuple(entry["insee"]), tuple(entry["names"]), geometry)
            )
    return report


def _load_json(path: Path) -> Any:
    if not path.is_file():
        raise PerimeterFileError(f"Fichier introuvable : {path}")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return json.loads(archive.read(_member(archive)))
        with path.open("rb") as handle:
            return json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PerimeterFileError(f"{path.name} n'est pas un fichier GeoJSON lisible ({exc}).") from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise PerimeterFileError(f"Lecture impossible de {path.name} : {exc}") from exc


def _member(archive: zipfile.ZipFile) -> str:
    """The GeoJSON of the archive, preferring the WGS84 national file when there are several."""
    names = [n for n in archive.namelist() if n.lower().endswith(".geojson")]
    if not names:
        raise PerimeterFileError("L'archive ne contient aucun fichier .geojson.")
    wgs84 = [n for n in names if "wgs84" in n.lower()]
    return sorted(wgs84 or names)[0]


def _properties(feature: Any, number: int) -> dict[str, str]:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        raise PerimeterFileError(f"Objet n° {number} sans propriétés : ce n'est pas le fichier des périmètres QPV.")
    missing = [name for name in REQUIRED if not properties.get(name)]
    if missing:
        raise PerimeterFileError(
            f"Objet n° {number} : propriété(s) manquante(s) {', '.join(missing)} "
            f"(attendues : {', '.join(REQUIRED)}, lib_com)."
        )
    return {key: str(value).strip() for key, value in properties.items() if value is not None}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _geometry(feature: dict[str, Any], code: str) -> BaseGeometry:
    try:
        geometry = shapely.from_geojson(json.dumps(feature.get("geometry")))
    except shapely.errors.GEOSException as exc:
        raise PerimeterFileError(f"Géométrie illisible pour {code} : {exc}") from exc
    if geometry is None or geometry.is_empty:
        return shapely.Polygon()
    x0, y0, x1, y1 = geometry.bounds
    corners = zone_codes(np.array([x0, x1]), np.array([y0, y1]))
    if (corners < 0).any():
        raise PerimeterFileError(
            f"Les coordonnées de {code} ne sont pas des longitudes/latitudes en France : le fichier doit être "
            "en WGS84 (fichier « …_WGS84.geojson », pas la version Lambert-93)."
        )
    return geometry


def _repair(code: str, parts: Iterable[BaseGeometry], report: ReadReport) -> BaseGeometry | None:
    """Union of the parts, made valid; only polygonal pieces are kept (make_valid may leave lines)."""
    geometries = [part for part in parts if not part.is_empty]
    if not geometries:
        report.skipped.append(f"{code} : géométrie vide")
        return None
    invalid = [g for g in geometries if not g.is_valid]
    if invalid:
        report.repaired.append(code)
        geometries = [shapely.make_valid(g) for g in geometries]
    geometry = shapely.union_all([_polygonal(g) for g in geometries])
    geometry = _polygonal(geometry)
    if geometry.is_empty:
        report.skipped.append(f"{code} : aucune surface après réparation")
        return None
    return geometry


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else shapely.Polygon()
