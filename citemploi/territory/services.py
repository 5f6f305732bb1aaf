"""Loading the territory's reference data (communes, QPV list) from the package's data folder."""

from __future__ import annotations

import csv
import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from citemploi.core.collation import sort_key
from citemploi.territory.ban import read_ban_rows
from citemploi.territory.geocoding import GeocodeResult, get_geocoder
from citemploi.territory.geocoding_local import normalize
from citemploi.territory.geometry import to_wkb
from citemploi.territory.lookup import ERROR, QPVAnswer, commune_answer, locate
from citemploi.territory.models import QPV, BanAddress, BanStamp, Commune, PerimeterStamp
from citemploi.territory.perimeters import PerimeterFeature, PerimeterFileError, read_perimeters

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LoadReport:
    communes: int
    communes_in_territory: int
    qpvs: int
    qpvs_in_territory: int


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def territory_load() -> LoadReport:
    """Create or update the department's communes and QPV; idempotent (a second run changes nothing)."""
    epci = settings.TERRITORY_EPCI_SIREN
    sem = {row["code_insee"]: row for row in _read("sem_communes_2026.csv")}
    existing = {c.insee_code: c for c in Commune.objects.all()}
    to_create, to_update = [], []
    for row in _read("loire_42_communes_2026.csv"):
        detail = sem.get(row["code_insee"], {})
        values = {
            "name": row["nom"],
            "sort_name": sort_key(row["nom"]),
            "siren": row["siren"],
            "department": row["code_insee"][:2],
            "postcodes": (detail.get("codes_postaux") or row["codes_postaux"]).replace(";", ","),
            "population": int(detail.get("population_municipale") or row["population"] or 0) or None,
            "epci_siren": row["epci_siren"],
            "in_territory": row["epci_siren"] == epci,
        }
        commune = existing.get(row["code_insee"])
        if commune is None:
            to_create.append(Commune(insee_code=row["code_insee"], **values))
        elif any(getattr(commune, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(commune, key, value)
            to_update.append(commune)
    Commune.objects.bulk_create(to_create)
    if to_update:
        Commune.objects.bulk_update(
            to_update,
            ["name", "sort_name", "siren", "department", "postcodes", "population", "epci_siren", "in_territory"],
        )
    _load_qpvs()
    return LoadReport(
        communes=Commune.objects.count(),
        communes_in_territory=Commune.objects.filter(in_territory=True).count(),
        qpvs=QPV.objects.count(),
        qpvs_in_territory=QPV.objects.filter(in_territory=True).count(),
    )


def _load_qpvs() -> None:
    """Create or update the department's QPV and their communes in a handful of queries (no query per row)."""
    communes = {c.insee_code: c for c in Commune.objects.all()}
    rows = _read("qpv2024_loire_42.csv")
    existing = {q.code: q for q in QPV.objects.filter(code__in=[r["code_qp"] for r in rows])}
    links: dict[str, list[str]] = {}
    for row in rows:
        codes = [code for code in row["insee_com"].split(";") if code in communes]
        links[row["code_qp"]] = codes
        qpv = existing.get(row["code_qp"]) or QPV(code=row["code_qp"])
        qpv.name, qpv.generation = row["lib_qp"], 2024
        qpv.in_territory = any(communes[c].in_territory for c in codes)
        existing[row["code_qp"]] = qpv
    QPV.objects.bulk_create([q for q in existing.values() if q.pk is None])
    QPV.objects.bulk_update([q for q in existing.values() if q.pk is not None], ["name", "generation", "in_territory"])
    saved = {q.code: q.pk for q in QPV.objects.filter(code__in=links)}
    through = QPV.communes.through
    through.objects.filter(qpv_id__in=saved.values()).delete()
    through.objects.bulk_create(
        [through(qpv_id=saved[code], commune_id=communes[c].pk) for code, codes in links.items() for c in codes]
    )


# --- QPV perimeters --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerimeterImport:
    stamp: PerimeterStamp | None
    read: int
    kept: int
    repaired: list[str]
    skipped: list[str]


def qpv_perimeters_import(*, path: Path, generation: int, all_france: bool, dry_run: bool = False) -> PerimeterImport:
    """Import the official perimeters file, keeping the territory's QPV (setting QPV_IMPORT_SCOPE) or all of France.

    Raises PerimeterFileError (French message) when the file cannot be used; nothing is written then.
    """
    scope = PerimeterStamp.Scope.FRANCE if all_france else PerimeterStamp.Scope(settings.QPV_IMPORT_SCOPE)
    keep = None if all_france else _scope_filter(scope)
    report = read_perimeters(path, keep=keep)
    if not report.features:
        raise PerimeterFileError(
            f"Aucun périmètre du territoire dans {path.name} ({report.read} objets lus) : vérifiez le fichier, "
            "ou chargez d'abord le territoire avec « citemploi territory load »."
        )
    stamp = None
    if not dry_run:
        stamp = qpv_perimeters_replace(
            features=report.features,
            generation=generation,
            scope=scope,
            source=path.name,
            repaired=len(report.repaired),
        )
    return PerimeterImport(stamp, report.read, len(report.features), report.repaired, report.skipped)


def _scope_filter(scope: str) -> Callable[[str, list[str]], bool]:
    if scope == PerimeterStamp.Scope.EPCI:
        communes = set(
            Commune.objects.filter(epci_siren=settings.TERRITORY_EPCI_SIREN).values_list("insee_code", flat=True)
        )
        known = set(QPV.objects.filter(in_territory=True).values_list("code", flat=True))
        return lambda code, insee: code in known or any(c in communes for c in insee)
    department = settings.TERRITORY_DEPARTMENT
    return lambda code, insee: any(c.startswith(department) for c in insee)


@transaction.atomic
def qpv_perimeters_replace(
    *, features: Sequence[PerimeterFeature], generation: int, scope: str, source: str = "", repaired: int = 0
) -> PerimeterStamp:
    """Store a complete set of perimeters: it replaces the previous set (QPV absent from it lose their perimeter).

    QPV and communes unknown to the platform (national import) are created, outside the territory. Idempotent:
    importing the same file twice leaves the same perimeters. Every process sees the change on its next lookup
    (the lookup index compares a version computed from the QPV table).
    """
    now = timezone.now()
    communes = _communes_for(features)
    known = {q.code: q for q in QPV.objects.filter(code__in=[f.code for f in features])}
    QPV.objects.filter(generation=generation).exclude(code__in=[f.code for f in features]).filter(
        geometry__isnull=False
    ).update(geometry=None, loaded_at=None)  # the other generation's perimeters are kept (dated lookups)
    for feature in features:
        qpv = known.get(feature.code) or QPV(code=feature.code, in_territory=False)
        qpv.name = feature.name or qpv.name
        qpv.generation = generation
        qpv.geometry = to_wkb(feature.geometry)
        qpv.loaded_at = now
        qpv.save()
        qpv.communes.add(*[communes[c] for c in feature.insee_codes if c in communes])
    digest = hashlib.sha256(f"{now.isoformat()}:{len(features)}:{source}".encode()).hexdigest()[:40]
    return PerimeterStamp.objects.create(
        version=digest, generation=generation, scope=scope, count=len(features), repaired=repaired, source=source[:300]
    )


def _communes_for(features: Sequence[PerimeterFeature]) -> dict[str, Commune]:
    """The communes of these perimeters, creating (outside the territory) those the reference data lacks."""
    names = {code: name for f in features for code, name in zip(f.insee_codes, f.commune_names, strict=False)}
    existing = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=names)}
    missing = [
        Commune(insee_code=code, name=name or code, department=code[:3] if code.startswith("97") else code[:2])
        for code, name in names.items()
        if code not in existing and len(code) == 5
    ]
    Commune.objects.bulk_create(missing, ignore_conflicts=True)
    return {c.insee_code: c for c in Commune.objects.filter(insee_code__in=names)}


def qpv_perimeter_set(*, code: str, geometry: BaseGeometry, generation: int = 2024) -> QPV:
    """Store the perimeter of one known QPV (test data, manual correction); other perimeters are kept."""
    with transaction.atomic():
        qpv = QPV.objects.select_for_update(of=("self",)).get(code=code)
        qpv.geometry = to_wkb(geometry)
        qpv.generation = generation
        qpv.loaded_at = timezone.now()
        qpv.save(update_fields=["geometry", "generation", "loaded_at"])
        PerimeterStamp.objects.create(
            version=hashlib.sha256(f"{code}:{qpv.loaded_at.isoformat()}".encode()).hexdigest()[:40],
            generation=generation,
            scope=PerimeterStamp.Scope.TEST,
            count=1,
            source=f"périmètre de {code}",
        )
    return qpv


# --- Local BAN addresses --------------------------------------------------------------------------------------

BAN_COLUMNS = ("id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat")


@dataclass(frozen=True)
class BanImport:
    read: int
    stored: int
    skipped: int


def ban_addresses_import(*, path: Path, dry_run: bool = False, batch_size: int = 5000) -> BanImport:
    """Load a departmental BAN file (``adresses-42.csv.gz``, semicolon separated) for the local geocoder.

    Streamed in batches written by one upsert statement each (no model instance per row: 300,000 addresses load in
    seconds); an address already loaded (same BAN id) is updated, so a second run changes nothing. Ends with a new
    ``BanStamp``: every process's geocoder index is rebuilt on its next lookup.
    Raises BanFileError (French message) when the file is not a BAN file.
    """
    read = stored = skipped = 0
    batch: list[tuple[Any, ...]] = []
    for row in read_ban_rows(path):
        read += 1
        address = _ban_address(row)
        if address is None:
            skipped += 1
            continue
        batch.append(address)
        if len(batch) >= batch_size:
            stored += _store_ban(batch, dry_run)
            batch = []
    stored += _store_ban(batch, dry_run)
    if not dry_run:
        ban_stamp(count=stored, source=path.name)
    return BanImport(read=read, stored=stored, skipped=skipped)


def ban_stamp(*, count: int, source: str = "") -> BanStamp:
    """A new version of the local addresses: every process's geocoder index is rebuilt on its next lookup."""
    version = hashlib.sha256(f"{source}:{count}:{uuid.uuid4()}".encode()).hexdigest()[:40]
    return BanStamp.objects.create(version=version, count=count, source=source[:300])


_BAN_FIELDS = ("ban_id", "number", "rep", "street", "street_norm", "postcode", "insee_code", "city", "city_norm",
               "lon", "lat")  # fmt: skip


@lru_cache(maxsize=65536)
def _normalized(text: str, size: int) -> str:
    return normalize(text)[:size]


def _ban_address(row: dict[str, str]) -> tuple[Any, ...] | None:
    """The values of one address, in the order of _BAN_FIELDS (None for a row without a street or a point)."""
    try:
        lon, lat = float(row["lon"]), float(row["lat"])
    except ValueError:
        return None
    if not row["nom_voie"] or not row["code_insee"]:
        return None
    number = int(row["numero"]) if row["numero"].isdigit() else None
    street, city = row["nom_voie"][:200], row["nom_commune"][:120]
    return (row["id"][:60], number, row["rep"].strip().lower()[:10], street, _normalized(street, 200),
            row["code_postal"][:5], row["code_insee"][:5], city, _normalized(city, 120), lon, lat)  # fmt: skip


def _store_ban(batch: list[tuple[Any, ...]], dry_run: bool) -> int:
    """One ``INSERT … ON CONFLICT (ban_id) DO UPDATE`` for the batch (SQLite ≥ 3.24 and PostgreSQL). The column
    names come from the model (these fields have no ``db_column``), never from the input."""
    if dry_run or not batch:
        return len(batch)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f) for f in _BAN_FIELDS)
    updates = ", ".join(f"{quote(f)} = excluded.{quote(f)}" for f in _BAN_FIELDS[1:])
    placeholders = ", ".join(["%s"] * len(_BAN_FIELDS))
    table = quote(BanAddress._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT (ban_id) DO UPDATE SET {updates}"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, batch)
    return len(batch)


# --- Address → QPV ----------------------------------------------------------------------------------------------


def address_locate(
    query: str,
    *,
    postcode: str = "",
    city: str = "",
    on: date | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    commune_first: bool = False,
) -> tuple[GeocodeResult | None, QPVAnswer]:
    """Answer for an address on ``on`` (today when None): geocode, then locate the point with the geography in
    force that day; status "error" when the address cannot be geocoded.

    With ``commune_first`` (callers that only need the QPV answer, not the point: « Vérifier une adresse », people's
    records) a recognised commune without any QPV is « certainement hors QPV » at once, with no geocoder call
    (the result is then None). Places of the offer keep geocoding: their map needs the point.

    ``timeout``/``retries`` override the geocoder's (settings BAN_API_TIMEOUT, BAN_API_RETRIES) for a caller that
    must not wait long (a person's record is saved at once and located later on failure).
    Raises GeocoderError when the geocoder cannot answer at all (the caller says so to the user).
    """
    shortcut = commune_answer(query, postcode=postcode, city=city, on=on) if commune_first else None
    if shortcut is not None:
        return None, shortcut
    result = get_geocoder(timeout=timeout, retries=retries).geocode(query, postcode=postcode, city=city)
    if result is None:
        return None, QPVAnswer(status=ERROR, message=_("adresse introuvable (géocodage impossible)"))
    if result.level == "municipality":  # the commune's centre says nothing of the QPV: no point kept either
        return None, QPVAnswer(status=ERROR, message=_("adresse introuvable (seule la commune est reconnue)"))
    return result, locate(result.lon, result.lat, result.insee_code, on=on)
