"""The pack's map of the QPV as a static SVG (a PDF runs no Leaflet): evaluation.maps gives each perimeter its
class and colour, this draws the perimeters (equirectangular projection around the territory's mean latitude,
enough at a city's scale) with a title, a description and the same table as the page."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from citemploi.evaluation.charts import svg_text
from citemploi.evaluation.maps import choropleth
from citemploi.evaluation.registry import rate

WIDTH = 600.0
SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class MapFigure:
    title: str
    description: str
    svg: SafeString
    legend: list[dict[str, Any]]
    rows: list[tuple[str, str]]
    drawn: bool


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _contact_rates(rows: list[dict[str, Any]]) -> tuple[dict[str, float | None], set[str]]:
    values: dict[str, float | None] = {}
    masked: set[str] = set()
    for row in rows:
        if row["total"]:
            continue
        spotted, contacted = row["steps"][0], row["steps"][1]
        if spotted == 0:
            continue  # nobody spotted there: « sans donnée », not a secret
        if spotted is None or contacted is None:
            masked.add(row["key"])
            values[row["key"]] = None
        else:
            values[row["key"]] = rate(contacted, spotted)
    return values, masked


def funnel_map(rows: list[dict[str, Any]], *, masked: bool) -> MapFigure:
    """The share of the people spotted who were contacted, per QPV (the funnel's first conversion)."""
    values, hidden = _contact_rates(rows)
    collection = choropleth(values, masked=hidden, unit="rate")
    features = collection["features"]
    title = _("Part des personnes repérées qui ont été contactées, par QPV")
    table = [(f"{f['properties']['name']} ({f['properties']['code']})", f["properties"]["label"]) for f in features]
    shown = "; ".join(f"{name} : {label}" for name, label in table) or _("aucun périmètre chargé")
    description = _("Carte des QPV du territoire, plus la teinte est foncée plus la part est élevée. %(list)s.") % {
        "list": shown
    }
    return MapFigure(title, description, _svg(features, title, description), collection["legend"], table, bool(table))


def _svg(features: list[dict[str, Any]], title: str, description: str) -> SafeString:
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    root = ET.Element(
        f"{{{SVG_NS}}}svg",
        {"viewBox": "0 0 600 60", "role": "img", "aria-labelledby": "pack-map-title pack-map-desc"},
    )
    ET.SubElement(root, f"{{{SVG_NS}}}title", {"id": "pack-map-title"}).text = title
    ET.SubElement(root, f"{{{SVG_NS}}}desc", {"id": "pack-map-desc"}).text = description
    if points:
        lat0 = math.radians(sum(p[1] for p in points) / len(points))
        xs = [p[0] * math.cos(lat0) for p in points]
        ys = [-p[1] for p in points]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        scale = (WIDTH - 20) / span
        height = (max(ys) - min(ys)) * scale + 20
        root.set("viewBox", f"0 0 {WIDTH:.0f} {height:.0f}")
        x0, y0 = min(xs), min(ys)
        for feature in features:
            d = []
            for ring in _rings(feature["geometry"]):
                coords = [
                    f"{(p[0] * math.cos(lat0) - x0) * scale + 10:.1f},{(-p[1] - y0) * scale + 10:.1f}" for p in ring
                ]
                d.append("M" + " L".join(coords) + " Z")
            props = feature["properties"]
            ET.SubElement(
                root,
                f"{{{SVG_NS}}}path",
                {"d": " ".join(d), "fill": props["fill"], "stroke": props["outline"], "stroke-width": "1"},
            )
    return mark_safe(svg_text(root))  # noqa: S308 — built here from numbers and escaped text
