"""The BAN web API back-end: ``/search/`` for one address, ``/search/csv/`` for batches.

Timeouts, retries with back-off on network errors, 429 and 5xx, and a polite minimum interval between two requests
of the process (settings BAN_API_*). The API answers GeoJSON for a search and a CSV with ``result_*`` columns for
the batch endpoint.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Sequence
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from citemploi.territory.geocoding import GeocoderError, GeocodeResult, Query, needs_check

_pace_lock = threading.Lock()
_last_request = 0.0


class BanApiGeocoder:
    def __init__(self, base_url: str | None = None, *, timeout: float | None = None, retries: int | None = None):
        self.base_url = (base_url or settings.BAN_API_URL).rstrip("/")
        self.timeout = float(settings.BAN_API_TIMEOUT if timeout is None else timeout)
        self.retries = int(settings.BAN_API_RETRIES if retries is None else retries)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "citemploi (Cité de l'emploi)"

    def geocode(self, query: str, *, postcode: str = "", city: str = "") -> GeocodeResult | None:
        text = " ".join(part for part in (query, "" if postcode in query else postcode, city) if part).strip()
        if len(text) < 3:
            return None
        params = {"q": text[:200], "limit": "1"}
        if postcode:
            params["postcode"] = postcode
        data = self._request("GET", "/search/", params=params).json()
        features = data.get("features") or []
        return _from_feature(features[0]) if features else None

    def geocode_many(self, queries: Sequence[Query]) -> list[GeocodeResult | None]:
        """Send the rows to the batch CSV endpoint, BAN_API_BATCH_ROWS at a time."""
        results: list[GeocodeResult | None] = []
        size = int(settings.BAN_API_BATCH_ROWS)
        for start in range(0, len(queries), size):
            results += self._batch(queries[start : start + size])
        return results

    def _batch(self, queries: Sequence[Query]) -> list[GeocodeResult | None]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "adresse", "postcode", "city"])
        for i, (address, postcode, city) in enumerate(queries):
            writer.writerow([i, address, postcode, city])
        files = {"data": ("adresses.csv", buffer.getvalue().encode("utf-8"), "text/csv")}
        form = [("columns", "adresse"), ("columns", "city"), ("postcode", "postcode")]
        response = self._request("POST", "/search/csv/", data=form, files=files)
        answers: list[GeocodeResult | None] = [None] * len(queries)
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))):
            answers[int(row["id"])] = _from_csv_row(row)
        return answers

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        attempts = self.retries + 1
        for attempt in range(attempts):
            _pace()
            try:
                response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
            except requests.RequestException as exc:
                problem = _("service injoignable (%(error)s)") % {"error": exc.__class__.__name__}
            else:
                if response.status_code < 400:
                    return response
                problem = _("réponse HTTP %(status)s") % {"status": response.status_code}
                if response.status_code not in (429, 500, 502, 503, 504):
                    break
            if attempt + 1 < attempts:
                time.sleep(min(0.5 * 2**attempt, 8.0))
        raise GeocoderError(
            _("Le géocodeur de la Base Adresse Nationale ne répond pas : %(problem)s.") % {"problem": problem}
        )


def _pace() -> None:
    """Keep at least BAN_API_MIN_INTERVAL seconds between two requests of this process (polite rate)."""
    global _last_request
    with _pace_lock:
        wait = _last_request + float(settings.BAN_API_MIN_INTERVAL) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        _last_request = time.monotonic()


def _from_feature(feature: dict[str, Any]) -> GeocodeResult | None:
    properties = feature.get("properties") or {}
    coordinates = (feature.get("geometry") or {}).get("coordinates") or []
    if len(coordinates) != 2:
        return None
    score = float(properties.get("score") or 0)
    return GeocodeResult(
        label=str(properties.get("label", "")),
        lon=float(coordinates[0]),
        lat=float(coordinates[1]),
        score=score,
        insee_code=str(properties.get("citycode", "")),
        postcode=str(properties.get("postcode", "")),
        city=str(properties.get("city", "")),
        needs_check=needs_check(score) or properties.get("type") not in ("housenumber", None),
        level=_level(properties.get("type")),
    )


def _from_csv_row(row: dict[str, str]) -> GeocodeResult | None:
    if row.get("result_status", "ok") not in ("ok", "") or not row.get("longitude") or not row.get("latitude"):
        return None
    score = float(row.get("result_score") or 0)
    return GeocodeResult(
        label=row.get("result_label", ""),
        lon=float(row["longitude"]),
        lat=float(row["latitude"]),
        score=score,
        insee_code=row.get("result_citycode", ""),
        postcode=row.get("result_postcode", ""),
        city=row.get("result_city", ""),
        needs_check=needs_check(score) or row.get("result_type", "housenumber") != "housenumber",
        level=_level(row.get("result_type")),
    )


def _level(kind: object) -> str:
    """The API's ``type``: housenumber, street, municipality; a locality (lieu-dit) is a street-level answer."""
    kind = str(kind or "housenumber")
    return {"locality": "street"}.get(kind, kind)
