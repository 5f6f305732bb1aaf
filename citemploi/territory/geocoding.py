"""Geocoding: one interface, two back-ends chosen by the GEOCODER setting.

- ``ban_api``: the Base Adresse Nationale web API (single search, and its batch CSV endpoint for files);
- ``ban_local``: the addresses loaded by ``citemploi ban import`` (works offline).
A result below GEOCODE_MIN_SCORE is "à vérifier" (``needs_check``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class GeocodeResult:
    label: str
    lon: float
    lat: float
    score: float  # 0..1
    insee_code: str
    postcode: str
    city: str
    needs_check: bool
    #: How precise the answer is, as the BAN API says it: ``housenumber``, ``street`` or ``municipality``.
    level: str = ""


#: (free-text address, postcode, city) as typed by a user or read from a file.
Query = tuple[str, str, str]


class Geocoder(Protocol):
    def geocode(self, query: str, *, postcode: str = "", city: str = "") -> GeocodeResult | None: ...

    def geocode_many(self, queries: Sequence[Query]) -> list[GeocodeResult | None]: ...


class GeocoderError(Exception):
    """The geocoder cannot answer at all (network down, service failing, no local addresses): French message."""


def needs_check(score: float) -> bool:
    return score < float(settings.GEOCODE_MIN_SCORE)


def get_geocoder(*, timeout: float | None = None, retries: int | None = None) -> Geocoder:
    """The configured back-end (setting GEOCODER); ``timeout`` and ``retries`` override the web API's settings."""
    if settings.GEOCODER == "ban_local":
        from citemploi.territory.geocoding_local import LocalBanGeocoder

        return LocalBanGeocoder()
    if settings.GEOCODER == "ban_api":
        from citemploi.territory.geocoding_api import BanApiGeocoder

        return BanApiGeocoder(timeout=timeout, retries=retries)
    raise GeocoderError(f"Géocodeur inconnu : {settings.GEOCODER!r} (attendu : ban_api ou ban_local).")


def geocode(query: str, *, postcode: str = "", city: str = "") -> GeocodeResult | None:
    """Geocode one address with the configured back-end; None when nothing matches."""
    return get_geocoder().geocode(query, postcode=postcode, city=city)
