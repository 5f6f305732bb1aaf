"""Choropleth of the QPV: the perimeters (territory app) with each QPV's class, for a map drawn with Leaflet.

``choropleth(values, masked=...)`` returns a GeoJSON FeatureCollection (the perimeters of
``citemploi.territory.selectors.qpv_geojson``) whose features carry, besides code and name, the value as it
reads in French, its class and colour, and a ``legend``:

- 5 quantile classes computed on the values that are shown (never on masked ones); with fewer distinct values,
  fewer classes (a class is never empty);
- a colour-blind-safe sequential palette (ColorBrewer YlGnBu, the five darkest of six classes, the fourth
  darkened to #2171b5 so that white text on it reaches 4.5:1), lighter to darker so that it also reads in grey;
  every perimeter is outlined in near-black (above 3:1 against a white background) and each class has a text
  colour for labels drawn on its fill (4.5:1); the table next to the map carries the same information;
- a QPV in ``masked`` (or whose value is ``None``) is marked « secret statistique »: no value, no class, grey
  fill — its value never reaches the page; a QPV absent from ``values`` (or NaN) is « sans donnée ».

The data table next to the map (accessibility) is the same values, formatted by the same function.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Set
from typing import Any

from citemploi.evaluation.charts import fmt
from citemploi.territory.selectors import qpv_geojson

PALETTE = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2171b5", "#253494")
TEXT_ON = ("#1e1e1e", "#1e1e1e", "#1e1e1e", "#ffffff", "#ffffff")
OUTLINE = "#1e1e1e"
MASKED_FILL = "#bdbdbd"
NO_DATA_FILL = "#ffffff"
MASKED_LABEL = "secret statistique"
NO_DATA_LABEL = "sans donnée"
CLASSES = 5


def quantile_breaks(values: list[float], classes: int = CLASSES) -> list[float]:
    """Upper bounds of up to ``classes`` quantile classes (the last is the maximum); distinct and increasing."""
    ordered = sorted(values)
    if not ordered:
        return []
    breaks: list[float] = []
    for k in range(1, classes + 1):
        position = math.ceil(k * len(ordered) / classes) - 1
        bound = ordered[max(0, position)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def class_of(value: float, breaks: list[float]) -> int:
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return len(breaks) - 1


def choropleth(
    values: Mapping[str, float | None],
    *,
    masked: Set[str] = frozenset(),
    unit: str = "rate",
    codes: list[str] | None = None,
) -> dict[str, Any]:
    """The FeatureCollection of the territory's QPV (or of ``codes``) with classes and a legend."""
    shown = {
        code: float(value)
        for code, value in values.items()
        if code not in masked and value is not None and not math.isnan(value)
    }
    breaks = quantile_breaks(list(shown.values()))
    collection = qpv_geojson(codes=codes)
    for feature in collection["features"]:
        feature["properties"].update(_style(feature["properties"]["code"], values, masked, shown, breaks, unit))
    collection["legend"] = legend(shown, breaks, unit)
    return collection


def _style(
    code: str,
    values: Mapping[str, float | None],
    masked: Set[str],
    shown: Mapping[str, float],
    breaks: list[float],
    unit: str,
) -> dict[str, Any]:
    if code in masked or (code in values and values[code] is None):
        return _blank(MASKED_LABEL, MASKED_FILL, masked=True)
    if code not in shown:
        return _blank(NO_DATA_LABEL, NO_DATA_FILL, masked=False)
    index = class_of(shown[code], breaks)
    return {
        "value": shown[code],
        "label": fmt(shown[code], unit),
        "class": index,
        "fill": PALETTE[_palette_index(index, len(breaks))],
        "text": TEXT_ON[_palette_index(index, len(breaks))],
        "outline": OUTLINE,
        "masked": False,
    }


def _blank(label: str, fill: str, *, masked: bool) -> dict[str, Any]:
    return {
        "value": None,
        "label": label,
        "class": None,
        "fill": fill,
        "text": "#1e1e1e",
        "outline": OUTLINE,
        "masked": masked,
    }


def _palette_index(index: int, classes: int) -> int:
    """With fewer classes than colours, spread them over the palette (two classes: lightest and darkest)."""
    if classes <= 1:
        return len(PALETTE) // 2
    return round(index * (len(PALETTE) - 1) / (classes - 1))


def legend(shown: Mapping[str, float], breaks: list[float], unit: str) -> list[dict[str, Any]]:
    """One entry per class (« 12,0 % à 25,3 % », colour, how many QPV), then secret statistique and no data."""
    entries = []
    low = min(shown.values(), default=0.0)
    for index, high in enumerate(breaks):
        members = [v for v in shown.values() if class_of(v, breaks) == index]
        start = low if index == 0 else min(members)
        label = fmt(start, unit) if start == high else f"{fmt(start, unit)} à {fmt(high, unit)}"
        colour = _palette_index(index, len(breaks))
        entries.append({"class": index, "label": label, "fill": PALETTE[colour], "count": len(members)})
    entries.append({"class": None, "label": MASKED_LABEL, "fill": MASKED_FILL, "count": None})
    entries.append({"class": None, "label": NO_DATA_LABEL, "fill": NO_DATA_FILL, "count": None})
    return entries
