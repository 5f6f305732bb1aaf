"""Geometry helpers: where a point is in France, projection to metres, WKB (de)serialisation.

Distances are measured in a projected system in metres: Lambert-93 (EPSG:2154) for metropolitan France and
Corsica, the official UTM systems for the overseas departments (the national QPV file covers them too).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Zone:
    """A part of France with its bounding box in WGS84 and its projected reference system (metres)."""

    name: str
    epsg: int
    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return (lon >= self.lon_min) & (lon <= self.lon_max) & (lat >= self.lat_min) & (lat <= self.lat_max)


ZONES: tuple[Zone, ...] = (
    Zone("metropole", 2154, -5.8, 10.0, 41.0, 51.6),
    Zone("antilles", 5490, -63.3, -60.6, 14.2, 18.2),  # Guadeloupe, Martinique, Saint-Martin
    Zone("guyane", 2972, -54.8, -51.4, 1.9, 6.0),
    Zone("reunion", 2975, 55.1, 56.0, -21.6, -20.7),
    Zone("mayotte", 4471, 44.9, 45.4, -13.2, -12.5),
)
ZONE_BY_NAME = {zone.name: zone for zone in ZONES}


@cache
def _to_metres(epsg: int) -> Transformer:
    return Transformer.from_crs(4326, epsg, always_xy=True)


@cache
def _to_degrees(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)


def zone_codes(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Index in ZONES of each point's zone, -1 outside France (NaN coordinates included)."""
    codes = np.full(lon.shape, -1, dtype=np.int8)
    for i, zone in enumerate(ZONES):
        codes[(codes == -1) & zone.contains(lon, lat)] = i
    return codes


def zone_of(geometry: BaseGeometry) -> Zone | None:
    """The zone holding a WGS84 geometry (by the centre of its bounding box)."""
    x0, y0, x1, y1 = geometry.bounds
    code = zone_codes(np.array([(x0 + x1) / 2]), np.array([(y0 + y1) / 2]))[0]
    return ZONES[code] if code >= 0 else None


def project_points(lon: np.ndarray, lat: np.ndarray, zone: Zone) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 degrees → metres in the zone's system (vectorised)."""
    x, y = _to_metres(zone.epsg).transform(lon, lat)
    return np.asarray(x), np.asarray(y)


def project_geometry(geometry: BaseGeometry, zone: Zone, *, inverse: bool = False) -> BaseGeometry:
    """A WGS84 geometry in the zone's metres (or back with ``inverse``)."""
    transformer = _to_degrees(zone.epsg) if inverse else _to_metres(zone.epsg)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def to_wkb(geometry: BaseGeometry) -> bytes:
    return bytes(shapely.to_wkb(geometry))


def from_wkb(data: bytes | memoryview) -> BaseGeometry:
    return shapely.from_wkb(bytes(data))
