"""Address point → QPV: the in-memory perimeter index and the answers (DOMAIN.md §2).

The index (shapely 2 STRtree over projected perimeters, one per zone) is built once per process and rebuilt when
the perimeters change: each call compares a version read from the database (one small aggregate query) with the
version the index was built from, so an import made by another process or machine is seen on the next lookup.
Nothing here assumes a single process; the index is a cache that can always be rebuilt.

One code path answers one point (``locate``) and millions (``PerimeterIndex.locate_many``, vectorised).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from citemploi.territory.geometry import ZONES, Zone, from_wkb, project_geometry, project_points, zone_codes, zone_of
from citemploi.territory.models import QPV, Commune, PerimeterStamp
from citemploi.territory.spatial import PerimeterSet

IN, OUT, UNKNOWN, ERROR = "in", "out", "unknown", "error"
NOT_FRANCE = "coordonnées hors de France"
NOT_NUMBERS = "coordonnées non numériques"


@dataclass(frozen=True)
class QPVAnswer:
    """The answer for one point. ``near_boundary`` means "à vérifier": closer to a perimeter than the threshold."""

    status: str
    qpv_code: str = ""
    qpv_name: str = ""
    generation: int | None = None
    distance_m: float | None = None
    near_boundary: bool = False
    message: str = ""

    @property
    def label(self) -> str:
        if self.status == ERROR:
            return _("Erreur : %(message)s") % {"message": self.message} if self.message else _("Erreur")
        if self.status == UNKNOWN:
            return _("Inconnu : périmètres non chargés")
        if self.near_boundary and self.distance_m is not None:
            return _("À vérifier (%(distance).0f m de la limite)") % {"distance": self.distance_m}
        if self.status == IN:
            return _("Dans le QPV %(name)s (%(code)s)") % {"name": self.qpv_name, "code": self.qpv_code}
        return _("Hors QPV")


@dataclass
class _ZoneIndex:
    zone: Zone
    perimeters: PerimeterSet  # projected to the zone's metres
    qpv_of: np.ndarray  # perimeter index → QPV row index


@dataclass
class Answers:
    """Vectorised answers for a batch of points (arrays of the same length)."""

    status: np.ndarray  # object: in/out/unknown/error
    qpv: np.ndarray  # int, -1 when none
    distance_m: np.ndarray  # float, NaN when unknown
    near_boundary: np.ndarray  # bool
    message: np.ndarray  # object

    def __len__(self) -> int:
        return len(self.status)


class PerimeterIndex:
    """Every loaded perimeter, ready for vectorised predicates. Build with ``PerimeterIndex.build()``."""

    def __init__(
        self,
        *,
        codes: Sequence[str],
        names: Sequence[str],
        generations: Sequence[int],
        geometries: Sequence[BaseGeometry | None],
        communes: dict[str, list[int]] | None = None,
        national: bool = False,
        threshold_m: float = 25.0,
        distance_max_m: float = 50.0,
        version: tuple[object, ...] = (),
    ):
        self.version = version
        self.codes, self.names, self.generations = list(codes), list(names), list(generations)
        self.loaded = np.array([g is not None for g in geometries], dtype=bool)
        self.commune_qpvs = communes or {}  # INSEE code → QPV row indexes ([] for a commune without QPV)
        self.national = national
        self.complete = bool(len(self.loaded)) and bool(self.loaded.all())
        self.threshold = threshold_m
        self.distance_max = distance_max_m
        self.zones = _zone_indexes(geometries, max(threshold_m, distance_max_m))

    @classmethod
    def build(cls) -> PerimeterIndex:
        """Read the QPV, their communes and perimeters from the database (a handful of queries)."""
        version = current_version()
        qpvs = list(QPV.objects.prefetch_related("communes").order_by("code"))
        communes: dict[str, list[int]] = {code: [] for code in Commune.objects.values_list("insee_code", flat=True)}
        for i, qpv in enumerate(qpvs):
            for commune in qpv.communes.all():
                communes.setdefault(commune.insee_code, []).append(i)
        latest = PerimeterStamp.objects.exclude(scope=PerimeterStamp.Scope.TEST).first()
        return cls(
            codes=[q.code for q in qpvs],
            names=[q.name for q in qpvs],
            generations=[q.generation for q in qpvs],
            geometries=[from_wkb(q.geometry) if q.geometry is not None else None for q in qpvs],
            communes=communes,
            national=latest is not None and latest.scope == PerimeterStamp.Scope.FRANCE,
            threshold_m=float(settings.QPV_BOUNDARY_METERS),
            distance_max_m=float(settings.QPV_DISTANCE_MAX_METERS),
            version=version,
        )

    @property
    def perimeter_count(self) -> int:
        return int(self.loaded.sum())

    def locate_many(
        self, lon: np.ndarray, lat: np.ndarray, insee: Sequence[str] | None = None, *, exact_distance: bool = False
    ) -> Answers:
        """Answer every point at once. NaN coordinates are answered ``error``. Distances are given within the
        search radius (QPV_DISTANCE_MAX_METERS), or always with ``exact_distance`` (for a handful of points)."""
        n = len(lon)
        answers = Answers(
            status=np.full(n, OUT, dtype=object),
            qpv=np.full(n, -1, dtype=np.int64),
            distance_m=np.full(n, np.nan),
            near_boundary=np.zeros(n, dtype=bool),
            message=np.full(n, "", dtype=object),
        )
        zones = zone_codes(lon, lat)
        for code, index in self.zones.items():
            mask = np.flatnonzero(zones == code)
            if len(mask):
                self._test_zone(index, mask, lon, lat, answers, exact_distance)
        inside = answers.qpv >= 0
        answers.status[~inside] = self._outside_status(np.flatnonzero(~inside), insee)
        answers.near_boundary &= answers.status != UNKNOWN
        bad = zones < 0
        answers.status[bad] = ERROR
        answers.message[bad] = np.where(
            np.isnan(lon[bad]) | np.isnan(lat[bad]), NOT_NUMBERS, _not_france(lon[bad], lat[bad])
        )
        answers.near_boundary[bad] = False
        return answers

    def _test_zone(
        self, index: _ZoneIndex, mask: np.ndarray, lon: np.ndarray, lat: np.ndarray, answers: Answers, exact: bool
    ) -> None:
        x, y = project_points(lon[mask], lat[mask], index.zone)
        hits = index.perimeters.test(x, y, exact_distance=exact)
        inside = hits.perimeter >= 0
        answers.qpv[mask[inside]] = index.qpv_of[hits.perimeter[inside]]
        answers.status[mask[inside]] = IN
        answers.distance_m[mask] = np.round(hits.distance, 1)
        answers.near_boundary[mask] = hits.distance <= self.threshold

    def _outside_status(self, rows: np.ndarray, insee: Sequence[str] | None) -> np.ndarray:
        """``out`` when certain, ``unknown`` when a QPV that could hold the point has no perimeter loaded."""
        default = OUT if (self.complete or self.national) else UNKNOWN
        if insee is None:
            return np.full(len(rows), default, dtype=object)
        codes = np.asarray(insee, dtype=object)[rows].astype(str)
        unique, inverse = np.unique(np.char.strip(codes), return_inverse=True)
        statuses = np.array([self._commune_status(str(code), default) for code in unique], dtype=object)
        return statuses[inverse] if len(rows) else np.empty(0, dtype=object)

    def _commune_status(self, code: str, default: str) -> str:
        if not code:
            return default
        qpv_rows = self.commune_qpvs.get(code)
        if qpv_rows is None:  # a commune the platform does not know: only a national import makes it certain
            return OUT if self.national else UNKNOWN
        return OUT if all(self.loaded[i] for i in qpv_rows) else UNKNOWN

    def answer(self, answers: Answers, i: int) -> QPVAnswer:
        qpv = int(answers.qpv[i])
        distance = float(answers.distance_m[i])
        return QPVAnswer(
            status=str(answers.status[i]),
            qpv_code=self.codes[qpv] if qpv >= 0 else "",
            qpv_name=self.names[qpv] if qpv >= 0 else "",
            generation=self.generations[qpv] if qpv >= 0 else None,
            distance_m=None if np.isnan(distance) else distance,
            near_boundary=bool(answers.near_boundary[i]),
            message=str(answers.message[i]),
        )


def _zone_indexes(geometries: Sequence[BaseGeometry | None], radius_m: float) -> dict[int, _ZoneIndex]:
    """Group the perimeters by zone, project them to metres and index them."""
    grouped: dict[int, tuple[list[BaseGeometry], list[int]]] = {}
    for i, geometry in enumerate(geometries):
        zone = zone_of(geometry) if geometry is not None else None
        if geometry is None or zone is None:
            continue
        polygons, owners = grouped.setdefault(ZONES.index(zone), ([], []))
        polygons.append(project_geometry(geometry, zone))
        owners.append(i)
    return {
        code: _ZoneIndex(zone=ZONES[code], perimeters=PerimeterSet(polygons, radius_m), qpv_of=np.array(owners))
        for code, (polygons, owners) in grouped.items()
    }


def _not_france(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    swapped = zone_codes(lat, lon) >= 0
    return np.where(swapped, NOT_FRANCE + " (longitude et latitude inversées ?)", NOT_FRANCE)


def current_version() -> tuple[object, ...]:
    """What the index depends on, in one query: the QPV list, their communes and when perimeters were loaded."""
    row = QPV.objects.aggregate(
        n=Count("id", distinct=True),
        top=Max("id"),
        links=Count("communes"),
        loaded=Count("id", distinct=True, filter=Q(loaded_at__isnull=False)),
        last=Max("loaded_at"),
    )
    return (row["n"], row["top"], row["links"], row["loaded"], row["last"], settings.QPV_BOUNDARY_METERS)


_lock = threading.Lock()
_index: PerimeterIndex | None = None


def get_index() -> PerimeterIndex:
    """The process's index, rebuilt when the database says perimeters (or the QPV list) changed."""
    global _index
    version = current_version()
    with _lock:
        if _index is None or _index.version != version:
            _index = PerimeterIndex.build()
        return _index


def locate(lon: float, lat: float, insee_code: str | None = None) -> QPVAnswer:
    """Is this WGS84 point in a QPV? See the module docstring and DOMAIN.md §2 for the rules."""
    index = get_index()
    answers = index.locate_many(
        np.array([lon], dtype=float), np.array([lat], dtype=float), [insee_code or ""], exact_distance=True
    )
    return index.answer(answers, 0)
