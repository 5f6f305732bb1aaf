"""Retention (DESIGN.md §4, DOMAIN.md §8): anonymise people without contact initiated by them for
PATHWAYS_RETENTION_MONTHS; purge people spotted but never accompanied after PATHWAYS_SPOTTED_RETENTION_MONTHS.

What statistics need survives both: birth year, sex, QPV, commune code, dates, pathway state, freins themes and
states, scheme mobilisations, hand-off states and dates, exit categories and follow-up situations. Identity,
contact details, address, partner identifiers, sensitive facts, notes and comments are removed. For people never
accompanied, their contacts, notices, consents, freins, hand-offs and timeline are deleted too (only the repérage
channel and date remain, for the counts of people spotted).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from citemploi.pathways.models import (
    Consent,
    Contact,
    Frein,
    Handoff,
    InformationNotice,
    Person,
    Reperage,
    RetentionRun,
    TargetJob,
    TimelineEvent,
)
from citemploi.pathways.states import PathwayState

logger = logging.getLogger("citemploi.pathways.retention")

BATCH = 500
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


def _purge_children(ids: list[int]) -> None:
    for model in (Contact, InformationNotice, Consent, Frein, Handoff, TimelineEvent, TargetJob):
        model.objects.filter(person_id__in=ids).delete()


def retention_purge(*, dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Apply the retention rules in batches; logged. ``now`` lets tests travel in time."""
    now = now or timezone.now()
    spotted_ids = list(never_accompanied(now).values_list("pk", flat=True).distinct())
    inactive_ids = list(inactive(now).values_list("pk", flat=True).distinct())
    if not dry_run:
        for start in range(0, len(spotted_ids), BATCH):
            with transaction.atomic():
                batch = spotted_ids[start : start + BATCH]
                _purge_children(batch)
                _strip(batch, now)
        for start in range(0, len(inactive_ids), BATCH):
            with transaction.atomic():
                _strip(inactive_ids[start : start + BATCH], now)
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
