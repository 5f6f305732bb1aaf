"""Loading the territory's reference data (communes, QPV list) from the package's data folder."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from citemploi.territory.models import QPV, Commune

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
            to_update, ["name", "siren", "department", "postcodes", "population", "epci_siren", "in_territory"]
        )
    _load_qpvs()
    return LoadReport(
        communes=Commune.objects.count(),
        communes_in_territory=Commune.objects.filter(in_territory=True).count(),
        qpvs=QPV.objects.count(),
        qpvs_in_territory=QPV.objects.filter(in_territory=True).count(),
    )


def _load_qpvs() -> None:
    communes = {c.insee_code: c for c in Commune.objects.all()}
    territory = {c for c, commune in communes.items() if commune.in_territory}
    for row in _read("qpv2024_loire_42.csv"):
        codes = [code for code in row["insee_com"].split(";") if code]
        qpv, _created = QPV.objects.update_or_create(
            code=row["code_qp"],
            defaults={"name": row["lib_qp"], "generation": 2024, "in_territory": any(c in territory for c in codes)},
        )
        qpv.communes.set([communes[c] for c in codes if c in communes])
