"""Read-only queries of the territory (map, perimeters status)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from django.db.models import Prefetch, QuerySet

from citemploi.territory.geometry import from_wkb
from citemploi.territory.lookup import CURRENT_GENERATION
from citemploi.territory.models import QPV, Commune, PerimeterStamp


@dataclass(frozen=True)
class PerimeterStatus:
    qpvs_in_territory: int
    loaded_in_territory: int
    latest: PerimeterStamp | None

    @property
    def fictitious(self) -> bool:
        """The perimeters are the demo's fictitious ones (citemploi.territory.demo)."""
        return self.latest is not None and self.latest.is_demo

    @property
    def complete(self) -> bool:
        return self.qpvs_in_territory > 0 and self.loaded_in_territory == self.qpvs_in_territory


def perimeter_status() -> PerimeterStatus:
    """How many of the territory's QPV (current geography) have a perimeter loaded, and the latest import (3
    queries)."""
    territory = QPV.objects.filter(in_territory=True, generation=CURRENT_GENERATION)
    return PerimeterStatus(
        qpvs_in_territory=territory.count(),
        loaded_in_territory=territory.filter(loaded_at__isnull=False).count(),
        latest=PerimeterStamp.objects.first(),
    )


def qpv_labels(*, codes: Iterable[str] | None = None, territory_only: bool = True) -> dict[str, str]:
    """« Nom (code) » of each QPV by code, in the order of their names: one query, without the perimeters."""
    rows = QPV.objects.order_by("name", "code")
    if territory_only:
        rows = rows.filter(in_territory=True)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    return {code: f"{name} ({code})" for code, name in rows.values_list("code", "name")}


def territory_communes() -> QuerySet[Commune]:
    """The territory's communes with their QPV (2 queries whatever the number of communes)."""
    qpvs = QPV.objects.filter(generation=CURRENT_GENERATION).defer("geometry").order_by("code")
    return (
        Commune.objects.filter(in_territory=True)
        .prefetch_related(Prefetch("qpvs", queryset=qpvs))
        .order_by("sort_name", "insee_code")
    )


def qpv_geojson(*, codes: list[str] | None = None, territory_only: bool = True) -> dict[str, Any]:
    """Loaded perimeters as a GeoJSON FeatureCollection in WGS84 (coordinates rounded to about 1 m)."""
    queryset = QPV.objects.filter(geometry__isnull=False)
    if codes:
        queryset = queryset.filter(code__in=codes)
    elif territory_only:
        queryset = queryset.filter(in_territory=True, generation=CURRENT_GENERATION)
    latest = PerimeterStamp.objects.exclude(scope=PerimeterStamp.Scope.TEST).first()
    fictitious = latest is not None and latest.is_demo
    features = []
    for code, name, generation, wkb in queryset.values_list("code", "name", "generation", "geometry"):
        geometry = shapely.set_precision(from_wkb(wkb or b""), 1e-5)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "generation": generation, "fictitious": fictitious},
                "geometry": json.loads(shapely.to_geojson(geometry)),
            }
        )
    return {"type": "FeatureCollection", "features": features}
