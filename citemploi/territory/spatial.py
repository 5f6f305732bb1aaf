"""Vectorised point-in-perimeter and distance-to-limit tests (shapely 2 + numpy; no Django here).

For one zone (metres, see geometry.py) the perimeters are filed two ways in square cells (sorted numpy keys):
- each perimeter under the 500 m cells its bounding box covers: a point's candidates come from two
  ``searchsorted`` calls (no geometry object is built per point), then prepared ``intersects_xy`` decides
  (a point on the limit is in);
- the limits cut into two-vertex segments, each under the cells its bounding box widened by the search radius
  covers: the exact point-to-segment distance is then plain numpy arithmetic on a few candidates per point,
  where a distance to a whole limit of hundreds of vertices would cost hundreds of computations.
Points far from every perimeter find no candidate and cost almost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

COARSE_CELL_M = 500.0


@dataclass(frozen=True)
class Hits:
    """For each tested point: the perimeter holding it (-1: none) and the distance to the nearest limit (NaN
    when farther than the search radius)."""

    perimeter: np.ndarray
    distance: np.ndarray


class _CellMap:
    """Items (perimeters or limit segments) filed under the square cells their bounding box covers, as a sorted
    array of cell keys: finding the candidates of millions of points is two ``searchsorted`` calls, no geometry."""

    KEY_BASE = 1 << 24  # cells per axis at most (16 million: 25 m cells over 400 000 km)

    def __init__(self, bounds: np.ndarray, cell: float, origin: tuple[float, float]):
        self.cell = cell
        self.x0, self.y0 = origin
        i0, j0 = self._ij(bounds[:, 0], bounds[:, 1])
        i1, j1 = self._ij(bounds[:, 2], bounds[:, 3])
        ni, nj = i1 - i0 + 1, j1 - j0 + 1
        item, local = _expand(ni * nj)
        keys = (i0[item] + local // nj[item]) * self.KEY_BASE + (j0[item] + local % nj[item])
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.items = item[order].astype(np.int32)

    def _ij(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.floor((x - self.x0) / self.cell).astype(np.int64), np.floor((y - self.y0) / self.cell).astype(
            np.int64
        )

    def candidates(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point index, item index) for every item filed under each point's cell."""
        i, j = self._ij(x, y)
        valid = (i >= 0) & (j >= 0) & (i < self.KEY_BASE) & (j < self.KEY_BASE)
        keys = np.where(valid, i * self.KEY_BASE + j, -1)
        # Sorted needles make searchsorted several times faster (each search starts where the previous ended).
        order = np.argsort(keys)
        sorted_keys = keys[order]
        start = np.searchsorted(self.keys, sorted_keys, side="left")
        end = np.searchsorted(self.keys, sorted_keys, side="right")
        rank, offset = _expand(end - start)
        return order[rank], self.items[start[rank] + offset]


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts [2, 0, 3]: owners [0, 0, 2, 2, 2] and ranks within each owner [0, 1, 0, 1, 2]."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(int(counts.sum())) - starts[owner]


class PerimeterSet:
    """Projected perimeters of one zone, indexed for ``test`` (many points at once)."""

    def __init__(self, polygons: list[BaseGeometry], radius_m: float):
        self.polygons = np.array(polygons, dtype=object)
        shapely.prepare(self.polygons)
        self.radius = radius_m
        limits = shapely.boundary(self.polygons)
        self.limits = shapely.STRtree(limits)  # exact nearest limit, for a handful of points
        # Every ring (outer limits and holes) as its own line: consecutive vertices of one ring make a segment.
        coords, ring = shapely.get_coordinates(shapely.get_parts(limits), return_index=True)
        same = ring[1:] == ring[:-1]
        self.seg_a, self.seg_b = coords[:-1][same], coords[1:][same]
        # Contiguous arrays for the distance arithmetic (gathers from one array are cheaper than from columns).
        self.ax, self.ay = self.seg_a[:, 0].copy(), self.seg_a[:, 1].copy()
        self.dx, self.dy = self.seg_b[:, 0] - self.ax, self.seg_b[:, 1] - self.ay
        self.inv_len2 = 1.0 / np.maximum(self.dx * self.dx + self.dy * self.dy, 1e-12)
        bounds = shapely.bounds(self.polygons)
        origin = (float(bounds[:, 0].min() - 2 * radius_m), float(bounds[:, 1].min() - 2 * radius_m))
        self.areas = _CellMap(bounds, COARSE_CELL_M, origin)
        seg_bounds = np.column_stack(
            [
                np.minimum(self.seg_a[:, 0], self.seg_b[:, 0]) - radius_m,
                np.minimum(self.seg_a[:, 1], self.seg_b[:, 1]) - radius_m,
                np.maximum(self.seg_a[:, 0], self.seg_b[:, 0]) + radius_m,
                np.maximum(self.seg_a[:, 1], self.seg_b[:, 1]) + radius_m,
            ]
        )
        self.bands = _CellMap(seg_bounds, 2 * radius_m, origin)

    def test(self, x: np.ndarray, y: np.ndarray, *, exact_distance: bool = False) -> Hits:
        """Which perimeter holds each point, and how far the nearest limit is (within the radius, or always with
        ``exact_distance`` — meant for a handful of points, it asks a tree for each point's nearest limit)."""
        perimeter = np.full(len(x), -1, dtype=np.int64)
        point_i, poly_i = self.areas.candidates(x, y)
        inside = shapely.intersects_xy(self.polygons[poly_i], x[point_i], y[point_i])
        perimeter[point_i[inside]] = poly_i[inside]
        if exact_distance:
            distance = np.full(len(x), np.nan)
            (found, _), dist = self.limits.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
            distance[found] = dist
        else:
            distance = self._nearest_limit(x, y)
        return Hits(perimeter, distance)

    def _nearest_limit(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        point_i, seg_i = self.bands.candidates(x, y)
        dx, dy = self.dx[seg_i], self.dy[seg_i]
        px, py = x[point_i] - self.ax[seg_i], y[point_i] - self.ay[seg_i]
        t = np.clip((px * dx + py * dy) * self.inv_len2[seg_i], 0.0, 1.0)
        best = np.full(len(x), np.inf)
        np.minimum.at(best, point_i, np.hypot(px - t * dx, py - t * dy))
        best[best > self.radius] = np.nan
        return best
