"""Figures computed once and reused until the data they read changes (docs/architecture.md, docs/performance.md).

The indicators of a year read half of the people and hundreds of thousands of events, the menu's alert counter
scans every pathway: too slow to compute on every page view. A computed value is kept in the ``figures`` cache
under a key that holds the **data version**, a value that changes whenever a row of a watched table is written,
whatever wrote it — a service, an import in bulk, a retention purge, a data migration, a ``QuerySet.update()``.
The version is kept by the database itself, with triggers installed on every watched table after each
``migrate`` (``install_triggers``, run by ``post_migrate``):

- **PostgreSQL**: a statement-level trigger counts the writing statements of each transaction in its own row of
  ``core_datachange`` (``ON CONFLICT (txid) DO UPDATE``: a transaction only ever locks its own row, writers never
  wait for one another). The version is the count, the highest id and the sum of the rows a reader sees: it
  changes when another transaction commits, and at each statement of the reader's own transaction.
  ``compact()`` (``citemploi figures compact``, cron) folds the rows into one new row, so the version stays a
  short read and never returns to an earlier value.
- **SQLite** (one writer at a time): a row-level trigger increments a counter in a single row.

The version is read *before* the figures are computed: a write that commits during the computation changes the
version, and the figures stored under the older one are never read again. Figures computed inside a transaction
are not stored (the transaction may roll back, or write again): only those of committed data are. A figure that
depends on the day (« provisoire ») carries the day in its key. The cache is per process and rebuildable
(DESIGN.md §1): losing it costs one computation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

T = TypeVar("T")

TABLE = "core_datachange"
#: the apps whose tables the kept figures read (directly, or through the people and their events; evaluation: the
#: snapshots a dashboard compares with)
WATCHED_APPS = ("accounts", "territory", "schemes", "partners", "pathways", "governance", "evaluation")
#: their models that no indicator reads and that are written on reads or on every login
UNWATCHED = {
    "accounts.User",
    "accounts.RecoveryCode",
    "accounts.SecondFactorReset",
    "territory.BanAddress",
    "territory.BanStamp",
    "territory.TagJob",
    "pathways.NotificationPreference",
    "pathways.PendingNotification",
}

_pinned: ContextVar[str | None] = ContextVar("data_version", default=None)


def watched_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in UNWATCHED and model._meta.managed and not model._meta.proxy
    )


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """(Re)install the change triggers on every watched table; idempotent (after every ``migrate``)."""
    tables = set(connection.introspection.table_names())
    if TABLE not in tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table in watched_tables():
            if table not in tables:
                continue
            for statement in _statements(connection.vendor, table):
                cursor.execute(statement)


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION core_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} (txid, writes) VALUES (txid_current(), 1)
    ON CONFLICT (txid) DO UPDATE SET writes = {TABLE}.writes + 1;
  RETURN NULL;
END $$"""  # noqa: S608 — TABLE is a constant


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'CREATE OR REPLACE TRIGGER core_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION core_note_change()"
        ]
    bump = f"INSERT INTO {TABLE} (id, txid, writes) VALUES (1, 0, 1) ON CONFLICT (id) DO UPDATE SET writes = writes + 1"  # noqa: S608
    out = []
    for event in ("INSERT", "UPDATE", "DELETE"):
        name = f'"core_data_change_{event.lower()}_{table}"'
        out += [
            f"DROP TRIGGER IF EXISTS {name}",
            f'CREATE TRIGGER {name} AFTER {event} ON "{table}" FOR EACH ROW BEGIN {bump}; END',
        ]
    return out


def data_version(using: str = "default") -> str:
    """A value that changes whenever a watched table is written (and a transaction that wrote one commits)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(writes), 0) FROM {TABLE}")  # noqa: S608
        count, top, counter = cursor.fetchone()
    return f"{count}.{top}.{counter}"


def compact(using: str = "default") -> int:
    """Fold the change rows into one new row (PostgreSQL; nothing to do on SQLite). Returns the rows removed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} RETURNING writes")  # noqa: S608
        removed = [writes for (writes,) in cursor.fetchall()]
        cursor.execute(f"INSERT INTO {TABLE} (txid, writes) VALUES (txid_current(), %s)", [sum(removed) + 1])  # noqa: S608
    return len(removed)


@contextmanager
def pinned() -> Iterator[None]:
    """Read the data version once for every figure of the block (a page computes dozens); also a decorator."""
    if _pinned.get() is not None or not _enabled():
        yield
        return
    token = _pinned.set(data_version())
    try:
        yield
    finally:
        _pinned.reset(token)


def _enabled() -> bool:
    return bool(settings.FIGURES_CACHE_SECONDS)


def remember(parts: tuple[Any, ...], compute: Callable[[], T], *, seconds: int | None = None) -> T:
    """The value of ``compute()``, kept under ``parts`` (which must say everything the value depends on, except the
    data and the day) until the data version changes, and at most ``seconds`` (FIGURES_CACHE_SECONDS by default).
    ``compute`` returns picklable data."""
    if not _enabled():
        return compute()
    version = _pinned.get() or data_version()
    key = "figures:" + hashlib.sha256(repr((version, timezone.localdate(), *parts)).encode()).hexdigest()
    cache = caches["figures"]
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        if _committed_data():
            cache.set(key, value, seconds or settings.FIGURES_CACHE_SECONDS)
    return value


def _committed_data() -> bool:
    """Outside any transaction (a test's own transaction aside: there, the test is the whole world)."""
    return all(getattr(block, "_from_testcase", False) for block in connections["default"].atomic_blocks)
