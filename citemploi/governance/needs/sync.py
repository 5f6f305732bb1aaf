"""Synchronisation of the register from pathways' aggregates (issue 15 item 3): idempotent, in SQL aggregates.

``needs_sync`` reads ``pathways.unmet.unmet_aggregates`` (two grouped queries, never a person), creates the needs
that do not exist yet (state « signalé ») and sets the count of each automatic signal (need × source × month). It
is run:

- in the background after each « aucune solution » or « non levable » frein (``pathways.unmet.unmet_recorded``,
  connected in ``governance.apps`` to ``needs_sync_task``: the request never waits for it);
- by ``citemploi needs sync`` (cron, nightly: it catches up whatever the queue missed).

A count never decreases: retention deletes the freins of people spotted but never accompanied, and the register
keeps what it counted (aggregated statistics survive retention, DESIGN.md §4). Nothing else is changed: a need's
state, volume and evidence are the coordinator's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django_tasks import task

from citemploi.governance.needs.models import Need, NeedSignal
from citemploi.governance.needs.states import AUTOMATIC_SOURCES, SignalSource
from citemploi.pathways.unmet import UnmetCount, unmet_aggregates

logger = logging.getLogger("citemploi.governance.needs")

_SOURCES = {"orientation": SignalSource.NO_SOLUTION, "frein": SignalSource.NOT_LIFTABLE}
Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class SyncReport:
    needs_created: int
    signals_created: int
    signals_updated: int


def _key(count: UnmetCount) -> Key:
    return (count.thematique, count.age_band, count.situation, count.qpv_code)


_FIELDS = ("thematique", "age_band", "situation", "qpv_code")


def _existing() -> dict[Key, int]:
    return {(t, a, s, q): pk for pk, t, a, s, q in Need.objects.values_list("pk", *_FIELDS)}


def _needs_by_key(keys: set[Key], *, dry_run: bool) -> tuple[dict[Key, int], int]:
    existing = _existing()
    missing = [k for k in keys if k not in existing]
    if missing and not dry_run:
        Need.objects.bulk_create([Need(**dict(zip(_FIELDS, k, strict=True))) for k in missing], ignore_conflicts=True)
        existing = _existing()
    return existing, len(missing)


@transaction.atomic
def needs_sync(*, dry_run: bool = False) -> SyncReport:
    """Bring the automatic signals up to pathways' aggregates. Six queries whatever the data size."""
    counts = [c for c in unmet_aggregates() if c.thematique]
    needs, created = _needs_by_key({_key(c) for c in counts}, dry_run=dry_run)
    stored = {
        (s.need_id, s.source, s.month): s
        for s in NeedSignal.objects.filter(source__in=AUTOMATIC_SOURCES).only("pk", "need", "source", "month", "count")
    }
    new, changed = [], []
    for c in counts:
        need_id = needs.get(_key(c))
        if need_id is None:  # a dry run: the need is not created
            continue
        signal = stored.get((need_id, _SOURCES[c.source], c.month))
        if signal is None:
            new.append(NeedSignal(need_id=need_id, source=_SOURCES[c.source], month=c.month, count=c.count))
        elif c.count > signal.count:
            signal.count = c.count
            changed.append(signal)
    if not dry_run:
        NeedSignal.objects.bulk_create(new, ignore_conflicts=True)
        NeedSignal.objects.bulk_update(changed, ["count"])
    report = SyncReport(created, len(new), len(changed))
    logger.info("besoins : %s créé(s), %s signal(aux) ajouté(s), %s mis à jour", *vars(report).values())
    return report


@task()
def needs_sync_task() -> None:
    """The background synchronisation enqueued after a signal is recorded (idempotent: running twice is harmless)."""
    needs_sync()


def enqueue_sync(**_: object) -> None:
    """Receiver of ``pathways.unmet.unmet_recorded`` (sent after commit): enqueue, never compute in the request."""
    needs_sync_task.enqueue()
