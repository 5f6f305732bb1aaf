"""« Repérer ces personnes » (§4a): the rows in a QPV and not followed become people, in one transaction.

The people are registered in batches through ``pathways.services.bulk.people_register_bulk`` (channel
« croisement », the importing structure, today; exactly what ``person_register`` writes for each, history
included) with the QPV answer the batch tagging found; a row with a possible match in the cohort (between the
linkage thresholds, or a record the importer may not see) is queued for the coordination's review
(``pathways.DuplicateReview`` with the score and the reasons). A constant number of queries per chunk of
``CHUNK`` rows, which keeps memory flat.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.bulk import update_many
from citemploi.core.errors import InvalidTransition
from citemploi.intake.kinds import record_created
from citemploi.intake.models import Category, Import, ImportRow, State
from citemploi.intake.people import CHUNK
from citemploi.pathways.choices import Channel, QPVStatus
from citemploi.pathways.models import DuplicateReview, Person
from citemploi.pathways.services import PersonFields
from citemploi.pathways.services.bulk import NewPerson, people_register_bulk
from citemploi.pathways.services.locating import Located

logger = logging.getLogger("citemploi.intake")
_PERSON_FIELDS = ("first_name", "last_name", "sex", "email", "phone", "address", "postcode", "city", "imilo_id",
                  "ft_id")  # fmt: skip


def _fields(values: dict[str, object]) -> PersonFields:
    birth = values.get("birth_date")
    text = {name: str(values.get(name) or "") for name in _PERSON_FIELDS}
    return PersonFields(**text, birth_date=date.fromisoformat(str(birth)) if birth else None)  # type: ignore[arg-type]


def _located(row: ImportRow) -> Located:
    geo = row.geo or {}

    def number(key: str) -> float | None:
        try:
            return float(geo.get(key) or "")
        except ValueError:
            return None

    generation = int(geo["generation"]) if str(geo.get("generation") or "").isdigit() else None
    return Located(QPVStatus.IN, row.qpv_code, generation, number("lon"), number("lat"), "")


@transaction.atomic
def spot(*, by: User, batch: Import, lines: list[int] | None) -> Import:
    locked = Import.objects.select_for_update(of=("self",)).get(pk=batch.pk)
    if locked.state != State.CONFIRMED or not locked.counts.get("processed"):
        raise InvalidTransition(_("Cet import n'est pas prêt : attendez la fin du traitement."))
    rows = ImportRow.objects.filter(batch=locked, category=Category.IN_QPV_NEW, excluded=False, created__isnull=True)
    if lines is not None:
        rows = rows.filter(line__in=lines)
    ids = list(rows.order_by("line").values_list("pk", flat=True))
    origin = _("import « %(name)s »") % {"name": locked.original_name}
    today, spotted = timezone.localdate(), 0
    for start in range(0, len(ids), CHUNK):  # memory stays flat: one chunk of rows and records at a time
        chunk = ImportRow.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("line")
        todo = list(chunk.only("pk", "line", "values", "geo", "qpv_code", "review"))
        people = people_register_bulk(
            by=by,
            structure=locked.structure,
            channel=Channel.CROSS_CHECK,
            spotted_on=today,
            people=[NewPerson(_fields(row.values), _located(row)) for row in todo],
        )
        update_many(ImportRow, ["created"], ((row.pk, person.pk) for row, person in zip(todo, people, strict=True)))
        reviews = _reviews(by, locked, todo, people, origin)
        record_created(locked, _in_creation_order(people, reviews))
        spotted += len(people)
    locked.state, locked.imported_at = State.IMPORTED, timezone.now()
    locked.counts = {**locked.counts, "created": spotted, "updated": 0}
    locked.save(update_fields=["state", "imported_at", "counts", "updated_at"])
    logger.info("import %s : %s personne(s) repérée(s) par %s", locked.pk, spotted, by.pk)
    return locked


def _reviews(
    by: User, batch: Import, rows: list[ImportRow], people: list[Person], origin: str
) -> list[DuplicateReview]:
    """The possible matches of the new records, queued for review (only candidates that still exist)."""
    wanted = {pair["id"] for row in rows for pair in row.review}
    existing = set(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    reviews = [
        DuplicateReview(
            requested_by=by,
            structure=batch.structure,
            person=person,
            candidate_id=pair["id"],
            score=pair["score"],
            reasons=pair["reasons"],
            origin=origin,
        )
        for row, person in zip(rows, people, strict=True)
        for pair in row.review
        if pair["id"] in existing
    ]
    return DuplicateReview.objects.bulk_create(reviews, batch_size=1000)


def _in_creation_order(people: list[Person], reviews: list[DuplicateReview]) -> list[object]:
    """Each person followed by its reviews (undo removes them in reverse order: the reviews first)."""
    by_person: dict[int, list[DuplicateReview]] = {}
    for review in reviews:
        by_person.setdefault(review.person_id, []).append(review)
    ordered: list[object] = []
    for person in people:
        ordered.append(person)
        ordered += by_person.get(person.pk, [])
    return ordered
