"""The local BAN back-end: addresses loaded by ``citemploi ban import`` (works offline).

Matching: house number + repetition index (bis, ter…) + street + postcode or commune, after normalisation (case,
accents, hyphens and apostrophes, abbreviations such as av/avenue, bd/boulevard, st/saint, chem/chemin,
imp/impasse), fuzzy on the street name (rapidfuzz). The score is the street similarity, lowered when the number
had to be approximated; below GEOCODE_MIN_SCORE the answer is "à vérifier".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from citemploi.territory.geocoding import GeocodeResult, Query, needs_check
from citemploi.territory.models import BanAddress

ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "avn": "avenue",
    "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard", "boul": "boulevard",
    "st": "saint", "ste": "sainte",
    "chem": "chemin", "ch": "chemin", "che": "chemin",
    "imp": "impasse", "pl": "place", "r": "rue", "rte": "route", "all": "allee", "sq": "square",
    "fg": "faubourg", "fbg": "faubourg", "crs": "cours", "pas": "passage", "qu": "quai", "res": "residence",
    "lot": "lotissement", "hlm": "hlm", "dr": "docteur", "gal": "general", "gen": "general", "mal": "marechal",
    "pdt": "president", "prof": "professeur", "cdt": "commandant", "mgr": "monseigneur",
}  # fmt: skip
REPETITIONS = {
    "bis": "bis",
    "b": "bis",
    "ter": "ter",
    "t": "ter",
    "quater": "quater",
    "q": "quater",
    "quinquies": "quinquies",
}
_NUMBER = re.compile(r"^(\d{1,5})\s*(bis|ter|quater|quinquies|[btq])?\b\s*(.*)$")
_POSTCODE = re.compile(r"\b(\d{5})\b")
STREET_MIN_SIMILARITY = 60


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, abbreviations expanded: "Av. J.-Jaurès" → "avenue j jaures"."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(ABBREVIATIONS.get(word, word) for word in text.split())


@dataclass(frozen=True)
class ParsedAddress:
    number: int | None
    rep: str
    street: str
    postcode: str
    city: str


def parse(query: str, *, postcode: str = "", city: str = "") -> ParsedAddress:
    """Split a free-text address into number, repetition index, street, postcode and city (all normalised)."""
    text = query.strip()
    found = _POSTCODE.search(text)
    if found:
        postcode = postcode or found.group(1)
        after = text[found.end() :]
        city = city or after
        text = text[: found.start()]
    normalised = normalize(text)
    number, rep = None, ""
    match = _NUMBER.match(normalised)
    if match:
        number = int(match.group(1))
        rep = REPETITIONS.get(match.group(2) or "", "")
        normalised = match.group(3)
    return ParsedAddress(number, rep, normalised, postcode.strip(), normalize(city))


class LocalBanGeocoder:
    """Geocoder over the BanAddress table. Street lists are cached per instance (one instance per file run)."""

    def __init__(self) -> None:
        self._streets: dict[tuple[str, str], list[str]] = {}
        self._cities: list[str] | None = None

    def geocode(self, query: str, *, postcode: str = "", city: str = "") -> GeocodeResult | None:
        parsed = parse(query, postcode=postcode, city=city)
        if not parsed.postcode and not parsed.city:
            parsed = self._split_city(parsed)
        if not parsed.street or not (parsed.postcode or parsed.city):
            return None
        area = ("postcode", parsed.postcode) if parsed.postcode else ("city_norm", parsed.city)
        streets = self._streets_of(area)
        best = process.extractOne(parsed.street, streets, scorer=fuzz.WRatio, score_cutoff=STREET_MIN_SIMILARITY)
        if best is None:
            return None
        street, similarity, _ = best
        rows = list(BanAddress.objects.filter(**{area[0]: area[1]}, street_norm=street))
        return _pick(rows, parsed, similarity / 100)

    def geocode_many(self, queries: Sequence[Query]) -> list[GeocodeResult | None]:
        return [self.geocode(address, postcode=postcode, city=city) for address, postcode, city in queries]

    def _streets_of(self, area: tuple[str, str]) -> list[str]:
        if area not in self._streets:
            queryset = BanAddress.objects.filter(**{area[0]: area[1]})
            self._streets[area] = sorted(set(queryset.values_list("street_norm", flat=True)))
        return self._streets[area]

    def _split_city(self, parsed: ParsedAddress) -> ParsedAddress:
        """No postcode nor city given: take a known commune name that ends the text as the city."""
        if self._cities is None:
            self._cities = sorted(set(BanAddress.objects.values_list("city_norm", flat=True)), key=len, reverse=True)
        for city in self._cities:
            if parsed.street.endswith(" " + city):
                return ParsedAddress(parsed.number, parsed.rep, parsed.street[: -len(city) - 1].strip(), "", city)
        return parsed


def _pick(rows: list[BanAddress], parsed: ParsedAddress, similarity: float) -> GeocodeResult | None:
    """The house on the street: exact number and index, else the same number, else the nearest number."""
    if not rows:
        return None
    factor = 0.5  # street found, no usable number: the street's middle address
    numbered = [r for r in rows if r.number is not None]
    chosen = sorted(rows, key=lambda r: (r.number or 0, r.rep))[len(rows) // 2]
    if parsed.number is not None and numbered:
        exact = [r for r in numbered if r.number == parsed.number]
        if exact:
            same_rep = [r for r in exact if r.rep.lower() == parsed.rep]
            chosen, factor = (same_rep[0], 1.0) if same_rep else (exact[0], 0.9)
        else:
            chosen = min(numbered, key=lambda r: (abs(r.number - parsed.number), (r.number - parsed.number) % 2))  # type: ignore[operator]
            factor = 0.65  # another house of the street: below the default threshold, "à vérifier"
    score = round(similarity * factor, 3)
    return GeocodeResult(
        label=str(chosen),
        lon=chosen.lon,
        lat=chosen.lat,
        score=score,
        insee_code=chosen.insee_code,
        postcode=chosen.postcode,
        city=chosen.city,
        needs_check=needs_check(score),
    )
