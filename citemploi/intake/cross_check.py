"""After confirmation of a people list: geocode, QPV-tag and link every valid row, in chunks (§4a).

Nothing is created here: each row gets its category (in a QPV and not followed, already followed, outside,
à vérifier, in error). « Already followed » is said only of a record the importer may see (``visible_to``); a
match with a record they may not see is kept for the coordination's review queue and never shown.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from citemploi.core.bulk import update_many
from citemploi.intake import linkage
from citemploi.intake.kinds import progress
from citemploi.intake.models import Category, Import, ImportRow
from citemploi.intake.people import CHUNK, process_rows
from citemploi.pathways.models import Person
from citemploi.territory.geocoding import get_geocoder
from citemploi.territory.lookup import get_index

_OUTCOME_FIELDS = ("category", "detail", "qpv_code", "geo", "linked", "review")
_LINK_FIELDS = ("id", "first_name", "last_name", "birth_date", "sex", "email", "phone", "address", "postcode", "city")


def cohort_records() -> list[linkage.LinkRecord]:
    """The cohort as link records (anonymised records are never matched)."""
    people = Person.objects.filter(anonymised_at__isnull=True).only(*_LINK_FIELDS).order_by()
    return [linkage.person_to_record(p) for p in people.iterator(chunk_size=5000)]


def _visible(batch: Import) -> set[int] | None:
    """Ids of the records the importer may see (None: an operator's command sees everything)."""
    if batch.created_by is None:
        return None
    return set(Person.objects.visible_to(batch.created_by).values_list("pk", flat=True))


def cross_check(batch: Import) -> None:
    todo = ImportRow.objects.filter(batch=batch, excluded=False, category="").order_by("line")
    ids = list(todo.values_list("pk", flat=True))
    progress(batch, 0, len(ids))
    linker = linkage.Linker(cohort_records())  # the cohort read, prepared and blocked once for the whole import
    visible_ids = _visible(batch)
    index, geocoder = get_index(), get_geocoder()

    def visible(pk: int) -> bool:
        return visible_ids is None or pk in visible_ids

    for start in range(0, len(ids), CHUNK):
        rows = list(
            ImportRow.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("line").values_list("pk", "values")
        )
        outcomes = process_rows(rows, linker=linker, visible=visible, index=index, geocoder=geocoder)
        update_many(
            ImportRow,
            _OUTCOME_FIELDS,
            (
                (pk, o.category, o.detail[:300], o.qpv_code, o.geo, o.linked, o.review)
                for (pk, _values), o in zip(rows, outcomes, strict=True)
            ),
        )
        progress(batch, start + len(rows))
    _count(batch)


def _count(batch: Import) -> None:
    rows = ImportRow.objects.filter(batch=batch)
    by_category = Counter(rows.filter(excluded=False).values_list("category", flat=True))
    batch.refresh_from_db()
    batch.counts = {
        **batch.counts,
        **{c: by_category.get(c, 0) for c in Category.values},
        "linked": by_category.get(Category.FOLLOWED, 0),
        "excluded": rows.filter(excluded=True).count(),
        "processed": True,
    }
    batch.save(update_fields=["counts", "updated_at"])
    Import.objects.filter(pk=batch.pk).update(updated_at=timezone.now())
