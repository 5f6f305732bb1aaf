"""Registration of many spotted people at once (« Repérer ces personnes » of an import, issue 12 §4a).

``people_register_bulk`` writes exactly what ``person_register`` writes for each person — the record with its
QPV answer, its repérage, its pathway (« repéré »), its timeline line and the history (django-auditlog « create »
entries of the record, the repérage and the pathway, with the actor and correlation id of the moment) — but the
permission is checked once, the QPV are read once, and each table is written with ``bulk_create`` in batches:
a constant number of queries per batch instead of about fifteen per person. The only difference with the
one-by-one path: the history entries come after all the rows (same content, same order).

Every bulk creation of people goes through ``_create``: a stored per-person figure refreshed after a creation
belongs there, once for the whole batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext_lazy

from citemploi.accounts.models import Structure, User
from citemploi.core.audit import created_entries, write_entries
from citemploi.core.bulk import insert_many
from citemploi.pathways import dates
from citemploi.pathways.models import Pathway, Person, Reperage, TimelineEvent
from citemploi.pathways.replay import replayed_moment
from citemploi.pathways.services.common import event_row, guarded
from citemploi.pathways.services.inputs import PersonFields
from citemploi.pathways.services.locating import Located, apply_located
from citemploi.pathways.services.people import _derive, _registers
from citemploi.territory.models import QPV

BATCH = 1000


@dataclass(frozen=True)
class NewPerson:
    """One person to register: the fields read (a file's row) and the QPV answer already computed for them."""

    fields: PersonFields
    located: Located


@guarded(_registers, gettext_lazy("Votre rôle ne permet pas d'enregistrer une personne."))
@transaction.atomic
def people_register_bulk(
    *,
    by: User,
    structure: Structure,
    channel: str,
    spotted_on: date,
    people: Sequence[NewPerson],
    place: str = "",
) -> list[Person]:
    """Register spotted people owned by ``structure`` (as ``person_register`` with ``located``, for each), in
    one transaction; the records come back in the given order, saved. A bad date refuses the whole batch
    (French message, nothing written)."""
    dates.check_past(spotted_on, field="spotted_on")
    at = replayed_moment(spotted_on)
    codes = {p.located.qpv_code for p in people if p.located.qpv_code}
    qpvs = {q.code: q for q in QPV.objects.filter(code__in=codes)} if codes else {}
    persons = []
    for new in people:
        person = Person(**dict(new.fields.items()))
        dates.check_person(birth_date=person.birth_date, ft_registered_since=person.ft_registered_since)
        _derive(person)
        if at is not None:
            person.retention_from = at
        apply_located(person, new.located, qpvs=qpvs)
        persons.append(person)
    return _create(persons, by=by, structure=structure, channel=channel, spotted_on=spotted_on, place=place, at=at)


def _create(
    persons: list[Person],
    *,
    by: User,
    structure: Structure,
    channel: str,
    spotted_on: date,
    place: str,
    at: datetime | None,
) -> list[Person]:
    """Insert the records and what goes with them, table by table (the one place of bulk creation)."""
    for p in persons:  # the stored first repérage, as ``person_register`` sets it (pathways.milestones)
        p.first_spotted_on, p.first_channel = spotted_on, channel
    Person.objects.bulk_create(persons, batch_size=BATCH)
    history = created_entries(persons)  # read now, as auditlog reads a record saved alone: before its pathway
    reperages = [
        Reperage(person=p, channel=channel, spotted_on=spotted_on, place=place, spotted_by=by, structure=structure)
        for p in persons
    ]
    Reperage.objects.bulk_create(reperages, batch_size=BATCH)
    moved = {"state_changed_at": at} if at else {}
    pathways = [Pathway(person=p, structure=structure, **moved) for p in persons]
    Pathway.objects.bulk_create(pathways, batch_size=BATCH)
    label = f"Repérage ({Reperage(channel=channel).get_channel_display()})"
    lines = [
        event_row(person=p, kind="person.spotted", label=label, by=by, structure=structure, at=at) for p in persons
    ]
    for start in range(0, len(lines), BATCH):
        insert_many(TimelineEvent, lines[start : start + BATCH])
    history += created_entries(obj for pair in zip(reperages, pathways, strict=True) for obj in pair)
    n = len(persons)  # in the one-by-one order: each record, its repérage, its pathway (one item per object)
    write_entries([entry for i in range(n) for entry in (history[i], history[n + 2 * i], history[n + 2 * i + 1])],
                  batch_size=BATCH)  # fmt: skip
    return persons
