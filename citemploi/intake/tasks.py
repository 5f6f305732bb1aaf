"""Background work of imports (django-tasks, queue ``files`` as the territory file check): analysis after the
upload, processing after confirmation. Progress is written to the import row as chunks are done."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from citemploi.core.errors import DomainError
from citemploi.intake import kinds
from citemploi.intake.models import Import, State
from citemploi.territory.geocoding import GeocoderError

logger = logging.getLogger("citemploi.intake")
FILES_QUEUE = "files"


def _fail(batch_id: int, message: str) -> None:
    Import.objects.filter(pk=batch_id).update(state=State.FAILED, error=message)


def run(batch_id: int, state: str, work: object) -> None:
    """Run ``work(batch)`` for an import in ``state``; a refused file or an outage fails it (French message)."""
    batch = Import.objects.filter(pk=batch_id, state=state).first()
    if batch is None:
        return
    try:
        work(batch)  # type: ignore[operator]
    except (DomainError, GeocoderError) as exc:
        _fail(batch_id, str(exc))
    except Exception:
        logger.exception("import %s", batch_id)
        _fail(batch_id, _("Erreur inattendue : l'équipe technique est prévenue."))


@task(queue_name=FILES_QUEUE)
def import_analyse_task(batch_id: int) -> None:
    run(batch_id, State.PENDING, kinds.analyse)


@task(queue_name=FILES_QUEUE)
def import_process_task(batch_id: int) -> None:
    run(batch_id, State.CONFIRMED, kinds.process)
