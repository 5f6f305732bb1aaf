"""« Repérer ces personnes » (§4a): the rows in a QPV and not followed become people, in one transaction.

Each person is registered through ``pathways.services.person_register`` (channel « croisement », the importing
structure, today) with the QPV answer the batch tagging found; a row with a possible match in the cohort (between
the linkage thresholds, or a record the importer may not see) is queued for the coordination's review
(``pathways.DuplicateReview`` with the score and the reasons).
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.errors import InvalidTransition
from citemploi.intake.kinds import record_created
from citemploi.intake.models import Category, Import, ImportRow, State
from citemploi.pathways.choices import Channel, QPVStatus
from citemploi.pathways.models import DuplicateReview, Person
from citemploi.pathways.services import PersonFields, person_register
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
    created: list[object] = []
    today, origin = timezone.localdate(), _("import « %(name)s »") % {"name": locked.original_name}
    for row in rows.order_by("line"):
        person = person_register(
            by=by,
            structure=locked.structure,
            channel=Channel.CROSS_CHECK,
            spotted_on=today,
            fields=_fields(row.values),
            located=_located(row),
        )
        created.append(person)
        row.created = person
        row.save(update_fields=["created"])
        created += _reviews(by, locked, person, row, origin)
    record_created(locked, created)
    spotted = sum(isinstance(o, Person) for o in created)
    locked.state, locked.imported_at = State.IMPORTED, timezone.now()
    locked.counts = {**locked.counts, "created": spotted, "updated": 0}
    locked.save(update_fields=["state", "imported_at", "counts", "updated_at"])
    logger.info("import %s : %s personne(s) repérée(s) par %s", locked.pk, spotted, by.pk)
    return locked


def _reviews(by: User, batch: Import, person: Person, row: ImportRow, origin: str) -> list[object]:
    existing = set(Person.objects.filter(pk__in=[p["id"] for p in row.review]).values_list("pk", flat=True))
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
        for pair in row.review
        if pair["id"] in existing
    ]
    for review in reviews:
        review.save()
    return list(reviews)
