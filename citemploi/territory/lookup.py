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
from datetime import date

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from citemploi.territory.geometry import ZONES, Zone, from_wkb, project_geometry, project_points, zone_codes, zone_of
from citemploi.territory.models import DEMO_PERIMETER_LABEL, QPV, Commune, PerimeterStamp, QPVGeneration
from citemploi.territory.spatial import PerimeterSet

IN, OUT, UNKNOWN, ERROR = "in", "out", "unknown", "error"
NOT_FRANCE = "coordonnées hors de France"
NOT_NUMBERS = "coordonnées non numériques"

#: The geography in force by date (décret n° 2014-1750 for 2015; décrets n° 2023-1314 and 2024-1212 for 2024):
#: the 2015 QPV from 1 January 2015, the 2024 ones from 1 January 2024 in metropolitan France and from
#: 1 January 2025 overseas (INSEE codes 97…). Before 2015 there is no QPV (ZUS, another scheme): unknown.
CURRENT_GENERATION = int(QPVGeneration.G2024)
GENERATION_STARTS = {
    "metropole": ((date(2024, 1, 1), 2024), (date(2015, 1, 1), 2015)),
    "outre-mer": ((date(2025, 1, 1), 2024), (date(2015, 1, 1), 2015)),
}


def generation_in_force(on: date | None = None, insee_code: str = "") -> int | None:
    """The QPV generation in force on ``on`` (today when None) for a commune (metropolitan France by default)."""
    day = on or timezone.localdate()
    starts = GENERATION_STARTS["outre-mer" if (insee_code or "").startswith("97") else "metropole"]
    return next((generation for start, generation in starts if day >= start), None)


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
    #: Set when the answer comes from the commune alone (a commune without any QPV): no geocoding was needed.
    commune: str = ""
    insee_code: str = ""
    #: Made with the demo's fictitious perimeters (citemploi.territory.demo): the label says so.
    fictitious: bool = False

    @property
    def label(self) -> str:
        text = self._label()
        return f"{text} — {DEMO_PERIMETER_LABEL}" if self.fictitious else text

    def _label(self) -> str:
        if self.commune and self.status == OUT:
            return _("Certainement hors QPV : %(commune)s n'a aucun quartier prioritaire") % {"commune": self.commune}
        if self.status == ERROR:
            return _("Erreur : %(message)s") % {"message": self.message} if self.message else _("Erreur")
        if self.status == UNKNOWN:
            return (
                _("Inconnu : %(message)s") % {"message": self.message}
                if self.message
                else _("Inconnu : périmètres non chargés")
            )
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
        generation: int = CURRENT_GENERATION,
        directory: CommuneDirectory | None = None,
        fictitious: bool = False,
    ):
        self.version = version
        self.fictitious = fictitious  # the demo's fictitious perimeters: every point answer says so
        self.generation = generation
        self.directory = directory or CommuneDirectory()
        self.codes, self.names, self.generations = list(codes), list(names), list(generations)
        self.loaded = np.array([g is not None for g in geometries], dtype=bool)
        self.commune_qpvs = communes or {}  # INSEE code → QPV row indexes ([] for a commune without QPV)
        self.national = national
        self.complete = bool(len(self.loaded)) and bool(self.loaded.all())
        self.threshold = threshold_m
        self.distance_max = distance_max_m
        self.zones = _zone_indexes(geometries, max(threshold_m, distance_max_m))

    @classmethod
    def build(cls, generation: int = CURRENT_GENERATION) -> PerimeterIndex:
        """Read the QPV of one generation, their communes and perimeters from the database (a handful of queries).

        The communes whose QPV list is known answer « hors QPV » when they have none: for the current generation,
        every reference commune (``territory load`` ships the 2024 list of the department); for another
        generation, only the communes covered by an import of that generation's perimeters (none before one)."""
        version = current_version()
        qpvs = list(QPV.objects.filter(generation=generation).prefetch_related("communes").order_by("code"))
        rows = list(Commune.objects.values_list("insee_code", "name", "postcodes", "department", "epci_siren"))
        latest = PerimeterStamp.objects.exclude(scope=PerimeterStamp.Scope.TEST).filter(generation=generation).first()
        communes: dict[str, list[int]] = {
            code: []
            for code, _name, _postcodes, department, epci in rows
            if _list_known(generation, latest, department, epci)
        }
        for i, qpv in enumerate(qpvs):
            for commune in qpv.communes.all():
                communes.setdefault(commune.insee_code, []).append(i)
        return cls(
            generation=generation,
            directory=CommuneDirectory(rows),
            codes=[q.code for q in qpvs],
            names=[q.name for q in qpvs],
            generations=[q.generation for q in qpvs],
            geometries=[from_wkb(q.geometry) if q.geometry is not None else None for q in qpvs],
            communes=communes,
            national=latest is not None and latest.scope == PerimeterStamp.Scope.FRANCE,
            fictitious=latest is not None and latest.is_demo,
            threshold_m=float(settings.QPV_BOUNDARY_METERS),
            distance_max_m=float(settings.QPV_DISTANCE_MAX_METERS),
            version=version,
        )

    @property
    def perimeter_count(self) -> int:
        return int(self.loaded.sum())

    def commune_answer(self, query: str = "", *, postcode: str = "", city: str = "") -> QPVAnswer | None:
        """« Certainement hors QPV » when the commune typed (postcode, name) or read at the end of the address is
        recognised and none of its candidates has a QPV in this generation; None when the point is needed."""
        candidates = self.directory.recognise(query, postcode=postcode, city=city)
        if not candidates or any(self.commune_qpvs.get(code) != [] for code in candidates):
            return None
        names = sorted({self.directory.names[code] for code in candidates})
        return QPVAnswer(
            status=OUT,
            generation=self.generation,
            commune=_(" ou ").join(names),
            insee_code=candidates[0] if len(candidates) == 1 else "",
            message=_("commune sans QPV"),
        )

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
            fictitious=self.fictitious and str(answers.status[i]) != ERROR,
        )


def _list_known(generation: int, latest: PerimeterStamp | None, department: str, epci: str) -> bool:
    """Whether the QPV list of a commune is known for ``generation`` (see ``PerimeterIndex.build``)."""
    if generation == CURRENT_GENERATION:
        return True
    if latest is None:
        return False
    if latest.scope == PerimeterStamp.Scope.FRANCE:
        return True
    if latest.scope == PerimeterStamp.Scope.EPCI:
        return epci == settings.TERRITORY_EPCI_SIREN
    return department == settings.TERRITORY_DEPARTMENT


#: Words after which a commune name belongs to the street (« route de Saint-Héand »), normalised.
_NOT_BEFORE_COMMUNE = frozenset(
    [
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
        "a",
        "au",
        "aux",
        "en",
        "sur",
        "sous",
        "vers",
        "les",
        "rue",
        "route",
        "avenue",
        "boulevard",
        "chemin",
        "place",
        "allee",
        "impasse",
        "quai",
        "cours",
        "square",
        "passage",
        "faubourg",
        "montee",
        "cite",
        "residence",
        "lotissement",
        "hameau",
        "lieu",
        "dit",
        "saint",
        "sainte",
    ]
)


class CommuneDirectory:
    """The reference communes by postcode and by normalised name, to recognise the commune of an address."""

    def __init__(self, rows: Sequence[tuple[str, str, str, str, str]] = ()):
        from citemploi.territory.geocoding_local import normalize

        self.names: dict[str, str] = {}
        self.by_postcode: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for code, name, postcodes, _department, _epci in rows:
            self.names[code] = name
            for postcode in filter(None, (p.strip() for p in postcodes.split(","))):
                self.by_postcode.setdefault(postcode, []).append(code)
            self.by_name.setdefault(normalize(name), []).append(code)
        self._longest = max((len(n) for n in self.by_name), default=0)

    def recognise(self, query: str = "", *, postcode: str = "", city: str = "") -> list[str]:
        """INSEE codes the address may belong to ([] when the commune is not recognised, or contradicts itself).

        The postcode and commune typed win; otherwise they are read in the address text (« … 42140 Fontanès »,
        or a commune name at its very end)."""
        from citemploi.territory.geocoding_local import parse

        parsed = parse(query or "", postcode=(postcode or "").strip(), city=city or "")
        by_code = self.by_postcode.get(parsed.postcode, []) if parsed.postcode else None
        name = parsed.city or (self._name_at_end(query or "") if not parsed.postcode else "")
        by_name = self.by_name.get(name, []) if name else None
        if by_code is not None and by_name is not None:
            return [code for code in by_code if code in by_name]
        return list(by_code if by_code is not None else by_name or [])

    def _name_at_end(self, query: str) -> str:
        """A commune name ending the address: after a comma (« 3 place de l'Église, Fontanès »), or after a word
        that cannot start it (not « route de Saint-Héand », « rue Saint-Just »: there the name is the street's)."""
        from citemploi.territory.geocoding_local import normalize

        if "," in query:
            last = normalize(query.rsplit(",", 1)[1])
            if last in self.by_name:
                return last
        words = normalize(query).split()
        for size in range(min(len(words) - 1, 8), 0, -1):
            tail = " ".join(words[-size:])
            if len(tail) <= self._longest and tail in self.by_name and words[-size - 1] not in _NOT_BEFORE_COMMUNE:
                return tail
        return ""


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
_indexes: dict[int, PerimeterIndex] = {}


def get_index(generation: int = CURRENT_GENERATION) -> PerimeterIndex:
    """The process's index of one generation, rebuilt when the database says perimeters (or the QPV list)
    changed."""
    version = current_version()
    with _lock:
        index = _indexes.get(generation)
        if index is None or index.version != version:
            index = _indexes[generation] = PerimeterIndex.build(generation)
        return index


def _before_qpv() -> QPVAnswer:
    return QPVAnswer(status=UNKNOWN, message=_("date antérieure à la géographie prioritaire de 2015"))


def _not_loaded(generation: int) -> QPVAnswer:
    return QPVAnswer(
        status=UNKNOWN,
        generation=generation,
        message=_("la géographie %(generation)s n'est pas chargée") % {"generation": generation},
    )


def locate(lon: float, lat: float, insee_code: str | None = None, *, on: date | None = None) -> QPVAnswer:
    """Is this WGS84 point in a QPV on ``on`` (today when None)? The geography in force that day is used (see
    ``generation_in_force``); a past date whose geography is not loaded is unknown, never answered with a later map.
    See the module docstring and DOMAIN.md §2 for the rules."""
    generation = generation_in_force(on, insee_code or "")
    if generation is None:
        return _before_qpv()
    index = get_index(generation)
    if not index.codes and generation != CURRENT_GENERATION:
        return _not_loaded(generation)
    answers = index.locate_many(
        np.array([lon], dtype=float), np.array([lat], dtype=float), [insee_code or ""], exact_distance=True
    )
    return index.answer(answers, 0)


def commune_answer(query: str = "", *, postcode: str = "", city: str = "", on: date | None = None) -> QPVAnswer | None:
    """« Certainement hors QPV » from the commune alone (no geocoding), or None when the address must be geocoded."""
    generation = generation_in_force(on, "97" if postcode.startswith("97") else "")
    if generation is None:
        return None
    return get_index(generation).commune_answer(query, postcode=postcode, city=city)
