"""The local BAN back-end: addresses loaded by ``citemploi ban import`` (works offline).

- ``text``: normalisation, tokens without the noise of postal addresses (appartement, bâtiment, escalier, étage,
  BP, CS, cedex, « chez … », « résidence … »), house number anywhere, French phonetic key;
- ``index``: one in-memory index per process (communes, streets by commune, house numbers as arrays), rebuilt when
  a new ``BanStamp`` says the addresses changed;
- ``matcher``: the ladder commune → street → house number, scored, with the level of the answer.
See docs/territory.md (« Géocodage ») for the choices and docs/performance.md for the figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from citemploi.territory.geocoding import GeocodeResult, Query
from citemploi.territory.geocoding_local import matcher
from citemploi.territory.geocoding_local.index import get_index
from citemploi.territory.geocoding_local.text import REPETITIONS, normalize, tokenise

__all__ = ["LocalBanGeocoder", "ParsedAddress", "normalize", "parse"]
_POSTCODE = re.compile(r"\b(\d{5})\b")


@dataclass(frozen=True)
class ParsedAddress:
    number: int | None
    rep: str
    street: str
    postcode: str
    city: str


def parse(query: str, *, postcode: str = "", city: str = "") -> ParsedAddress:
    """Split a free-text address into number, repetition index, street, postcode and city (all normalised): the
    text after the postcode is the city (« 12 bis av de la Libération 42000 Saint-Étienne »)."""
    text = query.strip()
    found = _POSTCODE.search(text)
    if found:
        postcode = postcode or found.group(1)
        city = city or text[found.end() :]
        text = text[: found.start()]
    tokens = tokenise(text)
    rep = REPETITIONS.get(tokens.rep, tokens.rep)
    return ParsedAddress(tokens.number, rep, " ".join(tokens.flat), postcode.strip(), normalize(city))


class LocalBanGeocoder:
    """Geocoder over the BAN addresses held in memory (one index per process, see ``index.get_index``)."""

    def geocode(self, query: str, *, postcode: str = "", city: str = "") -> GeocodeResult | None:
        return matcher.geocode(get_index(), query, postcode=postcode or "", city=city or "")

    def geocode_many(self, queries: Sequence[Query]) -> list[GeocodeResult | None]:
        index = get_index()  # one version check for the whole chunk
        found: dict[tuple[str, str, str], GeocodeResult | None] = {}  # each distinct address geocoded once
        for a, p, c in queries:
            key = (a, p or "", c or "")
            if key not in found:
                found[key] = matcher.geocode(index, a, postcode=key[1], city=key[2])
        return [found[(a, p or "", c or "")] for a, p, c in queries]
