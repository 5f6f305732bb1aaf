"""Reads of the audit trail: change history (django-auditlog) and access log, filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet

from citemploi.core.models import AccessLog


@dataclass(frozen=True)
class AuditFilters:
    user_id: int | None = None
    structure_id: int | None = None
    record: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _dates(qs: QuerySet, field: str, f: AuditFilters) -> QuerySet:  # type: ignore[type-arg]
    if f.date_from:
        qs = qs.filter(**{f"{field}__date__gte": f.date_from})
    if f.date_to:
        qs = qs.filter(**{f"{field}__date__lte": f.date_to})
    return qs


def change_history(f: AuditFilters) -> QuerySet[LogEntry]:
    """Changes to domain models: who, when, which record, before/after (newest first)."""
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if f.user_id:
        qs = qs.filter(actor_id=f.user_id)
    if f.structure_id:
        qs = qs.filter(actor__memberships__structure_id=f.structure_id).distinct()
    if f.record:
        qs = qs.filter(Q(object_pk=f.record) | Q(object_repr__icontains=f.record))
    return _dates(qs, "timestamp", f)


def access_history(f: AuditFilters) -> QuerySet[AccessLog]:
    """Reads of personal records (newest first)."""
    qs = AccessLog.objects.select_related("user", "structure")
    if f.user_id:
        qs = qs.filter(user_id=f.user_id)
    if f.structure_id:
        qs = qs.filter(structure_id=f.structure_id)
    if f.record:
        qs = qs.filter(Q(record_id=f.record) | Q(record_label__icontains=f.record))
    return _dates(qs, "at", f)
