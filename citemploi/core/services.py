"""Core services: retention of the audit trail."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from citemploi.core.models import AccessLog


def access_log_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Reads older than this are past the retention delay (ACCESS_LOG_RETENTION_MONTHS, 30-day months)."""
    now = now or timezone.now()
    return now - dt.timedelta(days=30 * settings.ACCESS_LOG_RETENTION_MONTHS)


@transaction.atomic
def access_log_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete access-log entries past the retention delay; returns how many (would be) deleted."""
    expired = AccessLog.objects.filter(at__lt=access_log_cutoff(now))
    count = expired.count()
    if not dry_run:
        expired.delete()
    return count
