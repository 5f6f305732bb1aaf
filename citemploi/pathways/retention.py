"""Retention (DESIGN.md §4, DOMAIN.md §8): anonymise people without contact initiated by them for
PATHWAYS_RETENTION_MONTHS; purge people spotted but never accompanied after PATHWAYS_SPOTTED_RETENTION_MONTHS.

What statistics need survives both: birth year, sex, QPV, commune code, dates, pathway state, freins themes and
states, scheme mobilisations, hand-off states and dates, exit categories and follow-up situations. Identity,
contact details, address, partner identifiers, sensitive facts, notes and comments are removed. For people never
accompanied, their contacts, notices, consents, freins, hand-offs and timeline are deleted too (only the repérage
channel and date remain, for the counts of people spotted).

Their trace in the audit trail goes too (issue 9 item 4): every django-auditlog entry about the person or one of
their related records (found through the model registry, so a new relation is covered) loses its label, its
values and its serialized data (the changed fields' names remain, values read « [masqué] »), and the access log
keeps who read which record identifier when, without the label. Registrations to actions linked to the person
(`PersonRegistration`) are anonymised (the action keeps its counts).

`HANDLED_RELATIONS` lists the relations to `Person` this module handles; a test compares it with every relation
to `Person` in the project (tests/pathways/test_person_relations.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from citemploi.core.audit import MASKED
from citemploi.core.models import AccessLog
from citemploi.partners.models import Registration
from citemploi.pathways.models import (
    Appointment,
    Consent,
    Contact,
    FollowUp,
    Frein,
    Handoff,
    HandoffReply,
    InformationNotice,
    Person,
    PersonRegistration,
    RegistrationPeriod,
    Reperage,
    RetentionRun,
    TargetJob,
    TimelineEvent,
    UnmetOrientation,
)
from citemploi.pathways.states import PathwayState

logger = logging.getLogger("citemploi.pathways.retention")

BATCH = 500
ANONYMISED = "(anonymisé)"
#: Relations to Person handled here: stripped or deleted (below), kept because they hold no identity
#: (pathway state, referent periods, scheme mobilisations, exits: statistics), or anonymised (registrations).
HANDLED_RELATIONS = frozenset(
    {
        "pathways.Contact.person",
        "pathways.Frein.person",
        "pathways.Handoff.person",
        "pathways.Reperage.person",
        "pathways.TimelineEvent.person",
        "pathways.InformationNotice.person",
        "pathways.Consent.person",
        "pathways.TargetJob.person",
        "pathways.Pathway.person",
        "pathways.ReferentAssignment.person",
        "pathways.Mobilisation.person",
        "pathways.Exit.person",
        "pathways.PersonRegistration.person",
        "pathways.RegistrationPeriod.person",
        # Appointments: the place is blanked (the date stays for the statistics); deleted with the hand-off.
        "pathways.Appointment.person",
        # Duplicate reviews hold two record ids and no identity: kept (the coordinator may still close them).
        "pathways.DuplicateReview.person",
        "pathways.DuplicateReview.candidate",
        # « Aucune solution »: the aggregate (thématique, QPV, public, month) stays for the register of needs, the
        # link to the person goes (unlinked on anonymisation and purge alike).
        "pathways.UnmetOrientation.person",
        # The merge trail holds an absorbed record's id only; it goes with the kept record when that is deleted.
        "pathways.MergedRecord.into",
        # An import's row points at the record it created or matched, for display only (SET_NULL when deleted);
        # the values read from the file are cleared with the file (INTAKE_FILE_RETENTION_DAYS, docs/intake.md).
        "intake.ImportRow.linked",
        "intake.ImportRow.created",
    }
)
_BLANKED = {
    "first_name": "Anonyme",
    "last_name": "Anonyme",
    "search_name": "",
    "birth_date": None,
    "email": "",
    "phone": "",
    "address": "",
    "lon": None,
    "lat": None,
    "ft_id": "",
    "imilo_id": "",
    "rqth": None,
    "boe_title": None,
    "justice": None,
}


@dataclass(frozen=True)
class PurgeReport:
    anonymised: int
    deleted: int
    dry_run: bool


def _months_ago(now: datetime, months: int) -> datetime:
    # A month is counted as 30.44 days: the purge runs daily, a day's difference does not matter.
    return now - timedelta(days=round(months * 30.44))


def never_accompanied(now: datetime) -> QuerySet[Person]:
    """Spotted, never contacted, registered before the short delay."""
    limit = _months_ago(now, settings.PATHWAYS_SPOTTED_RETENTION_MONTHS)
    return Person.objects.filter(
        anonymised_at__isnull=True, pathway__state=PathwayState.SPOTTED, created_at__lt=limit, contacts__isnull=True
    )


def inactive(now: datetime) -> QuerySet[Person]:
    """Without any contact initiated by the person (nor registration) for the long delay."""
    limit = _months_ago(now, settings.PATHWAYS_RETENTION_MONTHS)
    spotted = never_accompanied(now).values("pk")
    return Person.objects.filter(anonymised_at__isnull=True, retention_from__lt=limit).exclude(pk__in=spotted)


def _strip(ids: list[int], now: datetime) -> None:
    Person.objects.filter(pk__in=ids).update(anonymised_at=now, **_BLANKED)
    Contact.objects.filter(person_id__in=ids).update(note="")
    Frein.objects.filter(person_id__in=ids).update(comment="")
    Handoff.objects.filter(person_id__in=ids).update(reason="", refusal_reason="")
    Reperage.objects.filter(person_id__in=ids).update(place="")
    TimelineEvent.objects.filter(person_id__in=ids).update(label="(anonymisé)")
    InformationNotice.objects.filter(person_id__in=ids).update(objection_reason="")
    TargetJob.objects.filter(person_id__in=ids).delete()
    Appointment.objects.filter(person_id__in=ids).update(place="")
    HandoffReply.objects.filter(handoff__person_id__in=ids).update(message="(anonymisé)")
    UnmetOrientation.objects.filter(person_id__in=ids).update(person=None)


def _purge_children(ids: list[int]) -> None:
    # Registration periods (dates and categories, no identity) stay on an anonymised record for the statistics.
    for model in (Contact, InformationNotice, Consent, Frein, Handoff, TimelineEvent, TargetJob, RegistrationPeriod):
        model.objects.filter(person_id__in=ids).delete()


def _anonymise_registrations(ids: list[int]) -> None:
    registrations = Registration.objects.filter(
        pk__in=PersonRegistration.objects.filter(person_id__in=ids).values("registration_id")
    )
    registrations.update(first_name="Anonyme", last_name="Anonyme", email="", phone="")


def _related_records(ids: list[int]) -> dict[type[models.Model], list[int]]:
    """Primary keys of the people and of every record that points at them (directly, or through an exit or a
    registration link), per model: whatever the history may say about them."""
    records: dict[type[models.Model], list[int]] = {Person: list(ids)}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Person:
                pks = list(model._default_manager.filter(**{f"{field.name}__in": ids}).values_list("pk", flat=True))
                records.setdefault(model, []).extend(pks)
    records[FollowUp] = list(FollowUp.objects.filter(exit__person_id__in=ids).values_list("pk", flat=True))
    records[HandoffReply] = list(HandoffReply.objects.filter(handoff__person_id__in=ids).values_list("pk", flat=True))
    links = PersonRegistration.objects.filter(person_id__in=ids)
    records[Registration] = list(links.values_list("registration_id", flat=True))
    return records


def _scrub_history(records: dict[type[models.Model], list[int]], public_ids: list[str]) -> None:
    """Remove labels, values and serialized data from the audit entries of these records (the fields' names
    stay: « modifié »), and the labels of the access log's rows about these people."""
    cts = ContentType.objects.get_for_models(*records)
    for model, pks in records.items():
        entries = LogEntry.objects.filter(content_type=cts[model], object_pk__in=[str(pk) for pk in pks])
        scrubbed = []
        for entry in entries.only("pk", "changes"):
            entry.changes = {name: [MASKED, MASKED] for name in (entry.changes_dict or {})}
            scrubbed.append(entry)
        LogEntry.objects.bulk_update(scrubbed, ["changes"], batch_size=BATCH)
        entries.update(object_repr=ANONYMISED, changes_text="", serialized_data=None, additional_data=None)
    AccessLog.objects.filter(record_type="pathways.person", record_id__in=public_ids).update(record_label="")


def _erase(ids: list[int], now: datetime, *, purge: bool) -> None:
    """Anonymise (or, for ``purge``, delete the history of) these people, then scrub what the trail says."""
    records = _related_records(ids)
    public_ids = [str(p) for p in Person.objects.filter(pk__in=ids).values_list("public_id", flat=True)]
    if purge:
        _purge_children(ids)
        Person.objects.filter(pk__in=ids).refresh_milestones()  # their hand-offs are gone
    _strip(ids, now)
    _anonymise_registrations(ids)
    _scrub_history(records, public_ids)


def retention_purge(*, dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Apply the retention rules in batches; logged. ``now`` lets tests travel in time."""
    now = now or timezone.now()
    spotted_ids = list(never_accompanied(now).values_list("pk", flat=True).distinct())
    inactive_ids = list(inactive(now).values_list("pk", flat=True).distinct())
    if not dry_run:
        for start in range(0, len(spotted_ids), BATCH):
            with transaction.atomic():
                _erase(spotted_ids[start : start + BATCH], now, purge=True)
        for start in range(0, len(inactive_ids), BATCH):
            with transaction.atomic():
                _erase(inactive_ids[start : start + BATCH], now, purge=False)
    RetentionRun.objects.create(ran_at=now, dry_run=dry_run, anonymised=len(inactive_ids), deleted=len(spotted_ids))
    logger.info(
        "purge%s : %s anonymisée(s), %s supprimée(s)",
        " (simulation)" if dry_run else "",
        len(inactive_ids),
        len(spotted_ids),
    )
    return PurgeReport(anonymised=len(inactive_ids), deleted=len(spotted_ids), dry_run=dry_run)


def statistics_snapshot() -> dict[str, int]:
    """Counts by QPV, by exit category and by pathway state: what must survive the purge (used by tests and
    by the command's summary)."""
    counts: dict[str, int] = {}
    for code in Person.objects.values_list("qpv__code", flat=True):
        counts[f"qpv:{code}"] = counts.get(f"qpv:{code}", 0) + 1
    from citemploi.pathways.models import Exit

    for category in Exit.objects.values_list("category", flat=True):
        counts[f"exit:{category}"] = counts.get(f"exit:{category}", 0) + 1
    for sex, year in Person.objects.values_list("sex", "birth_year"):
        key = f"sex:{sex}:decade:{(year or 0) // 10}"
        counts[key] = counts.get(key, 0) + 1
    return counts
