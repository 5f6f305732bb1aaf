"""The in-memory index of the local BAN addresses: communes, streets by commune, house numbers as arrays.

Built once per process from the BanAddress table (one ``values_list`` read, no model instance) and kept while the
newest ``BanStamp`` (written by every ``ban import``) is the one it was built from: each lookup reads that stamp
(one indexed query), so an import made by another process or machine is seen on the next lookup.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F

from citemploi.territory.geocoding_local.text import STREET_TYPES, content, phonetic, words
from citemploi.territory.models import BanAddress, BanStamp

_ARTICLES = ("le ", "la ", "les ", "l ")
_SAINTS = ("saint ", "sainte ", "saints ")


@dataclass
class Commune:
    insee: str
    name: str
    postcodes: set[str]
    lon: float
    lat: float
    streets: list[int] = field(default_factory=list)
    #: Per street of ``streets``: its content words joined, and its phonetic key joined (rapidfuzz choices).
    keys: list[str] = field(default_factory=list)
    phonetic_keys: list[str] = field(default_factory=list)
    #: Word (and ``~`` + phonetic key of a word) → positions in ``streets`` of the streets that have it.
    by_word: dict[str, list[int]] = field(default_factory=dict)


def commune_variants(name: str) -> list[tuple[str, float]]:
    """Ways people write a commune, glued (no spaces nor hyphens), with the confidence that goes with each:
    « Saint-Priest-en-Jarez » → saintpriestenjarez, priestenjarez (« Saint- » left out)."""
    norm = " ".join(words(name))
    out = [(norm.replace(" ", ""), 1.0)]
    for prefix in _SAINTS + _ARTICLES:
        if norm.startswith(prefix) and len(norm) > len(prefix) + 2:
            out.append((norm[len(prefix) :].replace(" ", ""), 0.97))
    return out


class BanIndex:
    """Addresses sorted by street then number; ``start[s]:end[s]`` are the addresses of street ``s``."""

    def __init__(self, version: tuple[str | None, int | None] = (None, None)) -> None:
        self.version = version
        self.communes: list[Commune] = []
        self.by_postcode: dict[str, list[int]] = {}
        self.variants: list[str] = []
        self.variant_commune: list[int] = []
        self.variant_weight: list[float] = []
        self.exact: dict[str, list[tuple[int, float]]] = {}
        self.street_name: list[str] = []
        self.street_commune = array("i")
        self.street_tokens: list[tuple[str, ...]] = []
        self.start = array("i")
        self.end = array("i")
        self.number = array("i")  # -1: no number (lieu-dit)
        self.rep: list[str] = []
        self.postcode: list[str] = []
        self.lon = array("d")
        self.lat = array("d")
        self.all_keys: list[str] = []
        self.all_phonetic: list[str] = []
        self._postcode_variants: dict[str, tuple[list[str], list[int], list[float]]] = {}

    def __len__(self) -> int:
        return len(self.number)

    @classmethod
    def build(cls) -> BanIndex:
        version = current_version()
        rows = BanAddress.objects.values_list(
            "insee_code", "city", "postcode", "street", "street_norm", "number", "rep", "lon", "lat"
        ).order_by("insee_code", "street_norm", F("number").asc(nulls_first=True), "rep", "id")
        index = cls(version)
        index._load(rows.iterator(chunk_size=20000))
        return index

    def _load(self, rows: Iterable[tuple[Any, ...]]) -> None:
        communes: dict[str, int] = {}
        sums: dict[int, list[float]] = {}
        previous: tuple[str, str] | None = None
        intern: dict[str, str] = {}
        for insee, city, postcode, street, street_norm, number, rep, lon, lat in rows:
            c = communes.get(insee)
            if c is None:
                c = communes[insee] = len(self.communes)
                self.communes.append(Commune(insee, city, set(), 0.0, 0.0))
                sums[c] = [0.0, 0.0, 0.0]
            commune = self.communes[c]
            commune.postcodes.add(postcode)
            total = sums[c]
            total[0] += lon
            total[1] += lat
            total[2] += 1
            if (insee, street_norm) != previous:
                previous = (insee, street_norm)
                if self.start:
                    self.end.append(len(self.number))
                self._add_street(c, street, street_norm)
            self.number.append(-1 if number is None else number)
            self.rep.append(intern.setdefault(rep, rep))
            self.postcode.append(intern.setdefault(postcode, postcode))
            self.lon.append(lon)
            self.lat.append(lat)
        if self.start:
            self.end.append(len(self.number))
        for c, commune in enumerate(self.communes):
            commune.lon, commune.lat = sums[c][0] / sums[c][2], sums[c][1] / sums[c][2]
            for postcode in sorted(commune.postcodes):
                self.by_postcode.setdefault(postcode, []).append(c)
            for variant, weight in commune_variants(commune.name):
                self.variants.append(variant)
                self.variant_commune.append(c)
                self.variant_weight.append(weight)
                self.exact.setdefault(variant, []).append((c, weight))

    def _add_street(self, c: int, street: str, street_norm: str) -> None:
        s = len(self.street_name)
        tokens = tuple(content(street_norm.split())) or tuple(street_norm.split())
        key = " ".join(tokens)
        phon = " ".join(phonetic(t) for t in tokens if t not in STREET_TYPES) or key
        self.street_name.append(street)
        self.street_commune.append(c)
        self.street_tokens.append(tokens)
        self.start.append(len(self.number))
        commune = self.communes[c]
        position = len(commune.streets)
        for token in tokens:  # street types too: rare words weigh more (1 / √ streets that have them)
            for word in (token, "~" + phonetic(token)) if token not in STREET_TYPES else (token,):
                positions = commune.by_word.setdefault(word, [])
                if not positions or positions[-1] != position:
                    positions.append(position)
        commune.streets.append(s)
        commune.keys.append(key)
        commune.phonetic_keys.append(phon)
        self.all_keys.append(key)
        self.all_phonetic.append(phon)

    def variants_of(self, postcode: str) -> tuple[list[str], list[int], list[float]]:
        """The commune name variants of one postcode's communes (cached)."""
        cached = self._postcode_variants.get(postcode)
        if cached is None:
            allowed = set(self.by_postcode.get(postcode, ()))
            keep = [j for j, c in enumerate(self.variant_commune) if c in allowed]
            cached = self._postcode_variants[postcode] = (
                [self.variants[j] for j in keep],
                [self.variant_commune[j] for j in keep],
                [self.variant_weight[j] for j in keep],
            )
        return cached

    def street_centre(self, s: int) -> int:
        """The address in the middle of the street (its numbers sorted): the point of a street-level answer."""
        return (self.start[s] + self.end[s] - 1) // 2


def current_version() -> tuple[str | None, int | None]:
    """The newest import's stamp and the highest address id, in one query on two primary keys (raw SQL: this runs
    on every lookup). The stamp changes on every import; the id catches addresses written another way."""
    quote = connection.ops.quote_name
    stamps, addresses = quote(BanStamp._meta.db_table), quote(BanAddress._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT version FROM {stamps} ORDER BY id DESC LIMIT 1), (SELECT MAX(id) FROM {addresses})"  # noqa: S608
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (None, None)


_lock = threading.Lock()
_index: BanIndex | None = None


def forget_index(**_kwargs: object) -> None:
    """Drop the process's index (an address saved or deleted one by one in this process, e.g. in tests)."""
    global _index
    with _lock:
        _index = None


def get_index() -> BanIndex:
    """The process's index, rebuilt when the database says another import happened since it was built."""
    global _index
    version = current_version()
    with _lock:
        if _index is None or _index.version != version:
            _index = BanIndex.build()
        return _index
