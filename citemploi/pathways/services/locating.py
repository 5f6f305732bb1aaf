"""Address → QPV for a person: the current answer, the answer at the entry into the pathway, and the background
retries when the geocoder does not answer (docs/territory.md, « Fiches des personnes »).

- ``locate_now`` (called by ``people._locate`` when the address changes, inside the save): a commune without QPV
  answers at once, with no network call; otherwise one short geocoder call (GEOCODE_INLINE_TIMEOUT, no retry).
  When the geocoder does not answer, the record is saved anyway with the status « pending » (« à vérifier —
  adresse non localisée pour l'instant ») and a background task tries again later, with a growing delay.
- ``person_relocate_task`` (django-tasks) / ``relocate``: geocodes **outside** any transaction and without any row
  lock, then writes the answer under a short lock, only if the address did not change meanwhile.
- ``person_relocate`` (the « Relancer la localisation » button): the actor must be allowed to edit the record.
- ``qpv_entry_record``: at the first contact (repéré → contacté) the QPV answer with the geography in force that
  day is stored once; address changes later move the current answer only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from citemploi.accounts.models import User
from citemploi.core.errors import InvalidTransition, PermissionDenied
from citemploi.pathways.choices import QPVStatus
from citemploi.pathways.models import Person
from citemploi.pathways.permissions import can_edit_person, sight_of
from citemploi.pathways.services.common import event
from citemploi.territory.geocoding import GeocoderError
from citemploi.territory.lookup import QPVAnswer, commune_answer, locate
from citemploi.territory.models import QPV
from citemploi.territory.services import address_locate

logger = logging.getLogger("citemploi.pathways")

#: What ``locate_now`` and ``relocate`` write (the current answer and the retry state).
CURRENT_FIELDS = [
    "qpv",
    "qpv_status",
    "qpv_generation",
    "qpv_checked_on",
    "qpv_locate_attempts",
    "qpv_locate_next_at",
    "lon",
    "lat",
    "insee_code",
]
ENTRY_FIELDS = ["qpv_entry_status", "qpv_entry", "qpv_entry_generation", "qpv_entry_on"]
_STATUS = {"in": QPVStatus.IN, "out": QPVStatus.OUT, "error": QPVStatus.ERROR}


@dataclass(frozen=True)
class Located:
    """An answer for a person's address, ready to store."""

    status: str
    qpv_code: str = ""
    generation: int | None = None
    lon: float | None = None
    lat: float | None = None
    insee_code: str = ""


def _status(answer: QPVAnswer) -> str:
    if answer.near_boundary:
        return QPVStatus.CHECK
    return _STATUS.get(answer.status, QPVStatus.UNKNOWN)


def _address(person: Person) -> tuple[str, str, str]:
    return (person.address.strip(), person.postcode.strip(), person.city.strip())


def _answer(person: Person, *, on: date | None, timeout: float | None, retries: int | None) -> Located:
    """Locate the person's address (raises GeocoderError when the geocoder does not answer)."""
    address, postcode, city = _address(person)
    if not address:
        # No street address: a commune without QPV is still certain; otherwise nothing can be said.
        shortcut = commune_answer("", postcode=postcode, city=city, on=on) if (postcode or city) else None
        if shortcut is None:
            return Located(QPVStatus.UNKNOWN)
        return Located(QPVStatus.OUT, generation=shortcut.generation, insee_code=shortcut.insee_code)
    found, answer = address_locate(
        address, postcode=postcode, city=city, on=on, timeout=timeout, retries=retries, commune_first=True
    )
    if found is None:
        return Located(_status(answer), answer.qpv_code, answer.generation, insee_code=answer.insee_code)
    return Located(_status(answer), answer.qpv_code, answer.generation, found.lon, found.lat, found.insee_code)


def _apply(person: Person, located: Located, qpvs: dict[str, QPV] | None = None) -> None:
    person.qpv_status = located.status
    if qpvs is not None:
        person.qpv = qpvs.get(located.qpv_code) if located.qpv_code else None
    else:
        person.qpv = QPV.objects.filter(code=located.qpv_code).first() if located.qpv_code else None
    person.qpv_generation = located.generation
    person.qpv_checked_on = timezone.localdate() if _address(person) != ("", "", "") else None
    person.qpv_locate_attempts, person.qpv_locate_next_at = 0, None
    person.lon, person.lat = located.lon, located.lat
    person.insee_code = located.insee_code


def apply_located(person: Person, located: Located, *, qpvs: dict[str, QPV] | None = None) -> None:
    """Fill the current QPV answer of ``person`` (not saved) from an answer computed elsewhere (a batch);
    ``qpvs`` (the QPV by code, read once for a batch) spares one query per person."""
    _apply(person, located, qpvs)


def retry_delay(attempts: int) -> timedelta:
    """The delay before the next try after ``attempts`` failed ones: QPV_RELOCATE_FIRST_DELAY_MINUTES, doubled
    each time, at most 12 hours."""
    minutes = float(settings.QPV_RELOCATE_FIRST_DELAY_MINUTES) * 2 ** max(attempts - 1, 0)
    return timedelta(minutes=min(minutes, 12 * 60))


def locate_now(person: Person) -> list[str]:
    """Fill the current QPV answer of ``person`` (not saved), never raising for a geocoder outage; returns the
    fields it may have changed (for ``save(update_fields=...)``)."""
    fields = list(CURRENT_FIELDS)
    if person.qpv_entry_status == QPVStatus.PENDING:
        # The entry address was never located and has just changed: the answer at entry cannot be known any more.
        person.qpv_entry_status = QPVStatus.UNKNOWN
        fields.append("qpv_entry_status")
    try:
        located = _answer(person, on=None, timeout=float(settings.GEOCODE_INLINE_TIMEOUT), retries=0)
    except GeocoderError as exc:
        logger.warning("géocodeur indisponible, localisation reportée : %s", exc)
        _apply(person, Located(QPVStatus.PENDING))
        person.qpv_checked_on = None
        person.qpv_locate_attempts = 1
        person.qpv_locate_next_at = timezone.now() + retry_delay(1)
        transaction.on_commit(lambda: _schedule(person.pk, person.qpv_locate_next_at))
        return fields
    _apply(person, located)
    return fields


def _schedule(person_id: int | None, at: datetime | None) -> None:
    """Queue a later try when the task backend can defer (the database worker); otherwise the next
    ``citemploi addresses relocate`` run (cron) or the « Relancer » button does it."""
    if person_id is None or at is None:
        return
    backend = person_relocate_task.get_backend()
    if backend.supports_defer:
        person_relocate_task.using(run_after=at).enqueue(person_id)


@task()
def person_relocate_task(person_id: int) -> None:
    """Try again to locate a person whose address is « pending » (background worker)."""
    relocate(person_id)


def relocate(person_id: int) -> str:
    """One try for a pending person: ``located``, ``retry`` (geocoder still down), ``gave-up`` or ``skipped``.

    The geocoder is called with no transaction open and no lock held; the answer is written under a short row
    lock, and only if the record is still pending with the same address (an edit meanwhile wins)."""
    person = Person.objects.filter(pk=person_id, anonymised_at__isnull=True).first()
    if person is None or person.qpv_status != QPVStatus.PENDING:
        return "skipped"
    address = _address(person)
    try:
        located = _answer(person, on=None, timeout=None, retries=min(int(settings.BAN_API_RETRIES), 1))
    except GeocoderError as exc:
        return _failed(person_id, address, str(exc))
    with transaction.atomic():
        locked = Person.objects.select_for_update(of=("self",)).filter(pk=person_id).first()
        if locked is None or locked.qpv_status != QPVStatus.PENDING or _address(locked) != address:
            return "skipped"
        _apply(locked, located)
        fields = list(CURRENT_FIELDS)
        if locked.qpv_entry_status == QPVStatus.PENDING and locked.qpv_entry_on is not None:
            _set_entry(locked, locked.qpv_entry_on)
            fields += ENTRY_FIELDS
        locked.save(update_fields=[*fields, "updated_at"])
        event(
            person=locked,
            kind="person.located",
            label=f"Adresse localisée : {locked.get_qpv_status_display()}",
            by=None,
        )
    return "located"


def _failed(person_id: int, address: tuple[str, str, str], problem: str) -> str:
    with transaction.atomic():
        locked = Person.objects.select_for_update(of=("self",)).filter(pk=person_id).first()
        if locked is None or locked.qpv_status != QPVStatus.PENDING or _address(locked) != address:
            return "skipped"
        locked.qpv_locate_attempts += 1
        gave_up = locked.qpv_locate_attempts >= int(settings.QPV_RELOCATE_MAX_ATTEMPTS)
        locked.qpv_locate_next_at = None if gave_up else timezone.now() + retry_delay(locked.qpv_locate_attempts)
        locked.save(update_fields=["qpv_locate_attempts", "qpv_locate_next_at", "updated_at"])
        next_at = locked.qpv_locate_next_at
        transaction.on_commit(lambda: _schedule(person_id, next_at))
    logger.warning(
        "localisation de la personne %s reportée (%s essais) : %s", person_id, locked.qpv_locate_attempts, problem
    )
    return "gave-up" if gave_up else "retry"


def relocate_due(*, now: datetime | None = None, limit: int = 500, dry_run: bool = False) -> dict[str, int]:
    """Try every pending person whose next try is due (``citemploi addresses relocate``, cron): the safety net
    when a queued task was lost, and the only retry path with a task backend that cannot defer."""
    due = Person.objects.filter(
        qpv_status=QPVStatus.PENDING, qpv_locate_next_at__lte=now or timezone.now(), anonymised_at__isnull=True
    ).order_by("qpv_locate_next_at")
    ids = list(due.values_list("pk", flat=True)[:limit])
    counts: dict[str, int] = {"due": len(ids)}
    if dry_run:
        return counts
    for done, person_id in enumerate(ids):
        outcome = relocate(person_id)
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome in ("retry", "gave-up"):  # the geocoder is still down: the others wait for the next run
            counts["postponed"] = len(ids) - done - 1
            break
    return counts


@transaction.atomic
def person_relocate(*, by: User, person: Person) -> Person:
    """« Relancer la localisation »: the address is located again now, in the background (the actor must be
    allowed to edit the record). The status is « pending » until the task answers."""
    if not can_edit_person(by, sight_of(by, person)):
        raise PermissionDenied(_("Seule la structure référente ou la coordination peut relancer la localisation."))
    locked = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    if _address(locked) == ("", "", ""):
        raise InvalidTransition(_("Aucune adresse à localiser : complétez d'abord la fiche."))
    locked.qpv_status, locked.qpv = QPVStatus.PENDING, None
    locked.qpv_locate_attempts, locked.qpv_locate_next_at = 0, timezone.now()
    locked.save(update_fields=["qpv_status", "qpv", "qpv_locate_attempts", "qpv_locate_next_at", "updated_at"])
    event(person=locked, kind="person.relocate", label="Localisation de l'adresse relancée", by=by)
    transaction.on_commit(lambda: person_relocate_task.enqueue(locked.pk))
    return locked


# --- QPV at the entry into the pathway -------------------------------------------------------------------------


def _set_entry(person: Person, on: date) -> None:
    """The QPV answer on ``on`` from what is stored (the point, or the commune): no geocoder call."""
    person.qpv_entry_on = on
    if person.qpv_status == QPVStatus.PENDING:
        person.qpv_entry_status, person.qpv_entry, person.qpv_entry_generation = QPVStatus.PENDING, None, None
        return
    if person.lon is not None and person.lat is not None:
        answer = locate(person.lon, person.lat, person.insee_code or None, on=on)
        status, code = _status(answer), answer.qpv_code
        generation = answer.generation
    else:
        address, postcode, city = _address(person)
        shortcut = (
            commune_answer(address, postcode=postcode, city=city, on=on) if (address or postcode or city) else None
        )
        if shortcut is not None:
            status, code, generation = QPVStatus.OUT, "", shortcut.generation
        else:
            status = QPVStatus.ERROR if person.qpv_status == QPVStatus.ERROR else QPVStatus.UNKNOWN
            code, generation = "", None
    person.qpv_entry_status = status
    person.qpv_entry = QPV.objects.filter(code=code).first() if code else None
    person.qpv_entry_generation = generation


def qpv_entry_record(*, person_id: int, on: date) -> bool:
    """Store the QPV answer at the entry into the pathway, once (called by the move repéré → contacté)."""
    person = Person.objects.filter(pk=person_id, qpv_entry_on__isnull=True).first()
    if person is None:
        return False
    _set_entry(person, on)
    values = {name: getattr(person, name) for name in ENTRY_FIELDS}
    # Guarded by the filter: a second entry (after « perdu de vue ») never overwrites the first one.
    return bool(Person.objects.filter(pk=person_id, qpv_entry_on__isnull=True).update(**values))


@transaction.atomic
def qpv_entry_declare(*, by: User, person: Person, qpv: QPV | None) -> bool:
    """The QPV of residence at entry as a tracking record gave it (the history takeover): ``qpv``, or outside any
    QPV when None. It replaces the answer computed from the address at the first contact when it differs (the
    entry day stays the first contact's; the record keeps its address answer). No timeline line: it is a fact of
    the record, not an event (the change has its history in the audit log). Returns whether it changed."""
    if not can_edit_person(by, sight_of(by, person)):
        raise PermissionDenied(_("Seule la structure référente ou la coordination peut modifier cette fiche."))
    locked = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    status = QPVStatus.IN if qpv is not None else QPVStatus.OUT
    if (locked.qpv_entry_status, locked.qpv_entry_id) == (status, qpv.pk if qpv else None):
        return False
    locked.qpv_entry_status, locked.qpv_entry = status, qpv
    locked.qpv_entry_generation = qpv.generation if qpv is not None else locked.qpv_entry_generation
    locked.save(update_fields=["qpv_entry_status", "qpv_entry", "qpv_entry_generation", "updated_at"])
    return True
