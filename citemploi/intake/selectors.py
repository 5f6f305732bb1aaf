"""Reads of imports for the screens and the report: always scoped to the viewer (``Import.objects.visible_to``);
a linked record is named, with its referent structure, only when the viewer may see it in the cohort."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from citemploi.intake.mappings import FIELDS_BY_NAME
from citemploi.intake.models import Category, Import, ImportRow
from citemploi.pathways.models import Person

PREVIEW_ROWS = 10
PAGE_ROWS = 100


def imports_for(user: Any) -> QuerySet[Import]:
    """The imports list: the viewer's structures' imports, all for the coordinator."""
    return Import.objects.visible_to(user).select_related("structure", "created_by")


@dataclass(frozen=True)
class Followed:
    public_id: object
    label: str
    structure: str


def followed_of(user: Any, rows: list[ImportRow]) -> dict[int, Followed]:
    """For rows linked to a record: the record and its referent structure, if ``user`` may see it (one query)."""
    ids = [r.linked_id for r in rows if r.linked_id]
    if not ids:
        return {}
    people = Person.objects.visible_to(user).filter(pk__in=ids).select_related("pathway__structure")
    return {p.pk: Followed(p.public_id, str(p), p.pathway.structure.name) for p in people}


def mapped_fields(batch: Import) -> list[tuple[str, str, str]]:
    """(field, French label, header) of the fields the mapping uses, in the product's order."""
    return [(name, str(f.label), batch.mapping[name]) for name, f in FIELDS_BY_NAME.items() if batch.mapping.get(name)]


def preview(batch: Import) -> list[ImportRow]:
    return list(ImportRow.objects.filter(batch=batch).order_by("sheet", "line")[:PREVIEW_ROWS])


def errors_page(batch: Import, limit: int = 500) -> list[ImportRow]:
    return list(ImportRow.objects.filter(batch=batch).exclude(errors=[]).order_by("sheet", "line")[:limit])


def category_rows(batch: Import, category: str, limit: int = PAGE_ROWS) -> list[ImportRow]:
    rows = ImportRow.objects.filter(batch=batch, category=category, excluded=False)
    return list(rows.select_related("created").order_by("line")[:limit])


def excluded_rows(batch: Import) -> list[ImportRow]:
    return list(ImportRow.objects.filter(batch=batch, excluded=True).order_by("sheet", "line")[:PAGE_ROWS])


def report_header(batch: Import) -> list[str]:
    fields = [label for _n, label, _h in mapped_fields(batch)]
    return ["Feuille", "Ligne", *fields, "Résultat", "Précision", "QPV", "Structure référente", "Exclue", "Erreurs"]


def report_rows(user: Any, batch: Import, chunk: int = 2000) -> Iterator[list[object]]:
    """Every row of the import for the report, in file order, streamed by chunks (a bounded number of queries
    per chunk)."""
    names = [n for n, _l, _h in mapped_fields(batch)]
    labels = dict(Category.choices)
    last = (-1, "")
    while True:
        rows = list(
            ImportRow.objects.filter(batch=batch, pk__gt=last[0]).order_by("pk")[:chunk]  # insertion = file order
        )
        if not rows:
            return
        followed = followed_of(user, rows)
        for row in rows:
            seen = followed.get(row.linked_id or 0)
            errors = " ; ".join(f"{e['column']} : {e['message']}" for e in row.errors)
            yield [row.sheet, row.line, *[row.values.get(n) or "" for n in names], str(labels.get(row.category, "")),
                   row.detail, row.qpv_code, seen.structure if seen else "", "oui" if row.excluded else "", errors]  # fmt: skip
        last = (rows[-1].pk, "")
