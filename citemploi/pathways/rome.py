"""ROME v4.60 reference (job codes and titles) shipped in data/, loaded idempotently."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from citemploi.pathways.models import RomeAppellation, RomeCode

DATA_DIR = Path(__file__).resolve().parent / "data"
CODES_FILE = "unix_referentiel_code_rome_v460_utf8.csv"
TITLES_FILE = "unix_referentiel_appellation_v460_utf8.csv"


@dataclass(frozen=True)
class RomeReport:
    codes: int
    titles: int
    created: int
    updated: int


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def rome_load(*, dry_run: bool = False) -> RomeReport:
    """Create or update the ROME codes and titles; a second run changes nothing."""
    codes = {row["code_rome"]: row["libelle_rome"] for row in _read(CODES_FILE)}
    existing = {c.code: c for c in RomeCode.objects.all()}
    new_codes = [RomeCode(code=k, label=v) for k, v in codes.items() if k not in existing]
    changed_codes = [c for k, c in existing.items() if k in codes and c.label != codes[k]]
    titles = [row for row in _read(TITLES_FILE) if row["code_rome"] in codes]
    if dry_run:
        return RomeReport(len(codes), len(titles), len(new_codes), len(changed_codes))
    for code in changed_codes:
        code.label = codes[code.code]
    RomeCode.objects.bulk_create(new_codes)
    RomeCode.objects.bulk_update(changed_codes, ["label"])
    ids = dict(RomeCode.objects.values_list("code", "id"))
    known = {a.ogr: a for a in RomeAppellation.objects.all()}
    new_titles, changed_titles = [], []
    for row in titles:
        ogr, label, rome_id = int(row["code_ogr"]), row["libelle_appellation_long"], ids[row["code_rome"]]
        title = known.get(ogr)
        if title is None:
            new_titles.append(RomeAppellation(ogr=ogr, label=label, rome_id=rome_id))
        elif (title.label, title.rome_id) != (label, rome_id):
            title.label, title.rome_id = label, rome_id
            changed_titles.append(title)
    RomeAppellation.objects.bulk_create(new_titles, batch_size=2000)
    RomeAppellation.objects.bulk_update(changed_titles, ["label", "rome"], batch_size=2000)
    return RomeReport(
        len(codes), len(titles), len(new_codes) + len(new_titles), len(changed_codes) + len(changed_titles)
    )
