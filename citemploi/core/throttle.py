"""Rate limits that hold across processes (DESIGN.md §3.1): one fixed-window counter per key, in the database.

    throttle_hit(scope="password_reset_ip", key=ip)   # raises Throttled when the limit of the scope is passed

The limits are settings (``THROTTLE_RATES``: scope → "count/seconds"); a scope missing there is not limited.
The counter is incremented by a single ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement, atomic on
PostgreSQL and SQLite alike, so concurrent workers never lose a hit. Keys are stored as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from citemploi.core.errors import DomainError
from citemploi.core.models import ThrottleCounter


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"5/3600"``, ``"5/h"`` or ``"5/15m"`` (a number of s, m, h or d)."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*", text)
        if not match or int(match[1]) < 1 or (not match[2] and not match[3]) or match[2] == "0":
            raise ValueError(f"Limite mal écrite : {text!r} (attendu par exemple « 5/h » ou « 20/3600 »).")
        seconds = int(match[2] or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 1}[match[3]]
        return cls(count=int(match[1]), seconds=seconds)


class Throttled(DomainError):  # noqa: N818 — the name DRF uses for the same idea
    """Too many attempts: the request is refused until the window ends (HTTP 429 in the web layer)."""

    def __init__(self, *, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            _("Trop de demandes en peu de temps. Par sécurité, réessayez dans %(minutes)s minute(s).")
            % {"minutes": minutes}
        )


def rate_for(scope: str) -> Rate | None:
    text = getattr(settings, "THROTTLE_RATES", {}).get(scope)
    return Rate.parse(text) if text else None


def _digest(scope: str, key: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{key}".encode()).hexdigest()


def throttle_hit(*, scope: str, key: str, now: float | None = None) -> int:
    """Count one hit of ``key`` in ``scope``; raise `Throttled` when the count passes the scope's rate.
    Returns the count so far in the current window (0 when the scope is not limited)."""
    rate = rate_for(scope)
    if rate is None:
        return 0
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    window_end = (window + 1) * rate.seconds
    table = connection.ops.quote_name(ThrottleCounter._meta.db_table)
    expires_at = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(window_end, tz=UTC))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (digest, bucket, count, expires_at) VALUES (%s, %s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (digest, bucket) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [_digest(scope, key), window, expires_at],
        )
        count = int(cursor.fetchone()[0])
    if random.random() < 0.01:  # noqa: S311 — housekeeping, not security
        ThrottleCounter.objects.filter(expires_at__lt=datetime.fromtimestamp(now, tz=UTC)).delete()
    if count > rate.count:
        raise Throttled(retry_after=int(window_end - now) + 1)
    return count


def client_ip(meta: dict[str, object]) -> str:
    """The client address as the web server sees it (behind a proxy, THROTTLE_PROXY_COUNT trusted hops of
    X-Forwarded-For are skipped from the right)."""
    hops = int(getattr(settings, "THROTTLE_PROXY_COUNT", 0))
    if hops:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(meta.get("REMOTE_ADDR", ""))
