"""The one place where the kinds of import differ: how a file is opened, analysed and processed.

- people: one table (CSV/XLSX/ODS), mapped by the user; processing geocodes, tags and links (``intake.people``);
- history: a workbook of named sheets (XLSX or ZIP of CSV), analysed and written by ``intake.history`` (h18).
The web, the command line and the tests go through these functions (``intake.tasks`` runs them in the
background).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.core.bulk import insert_many
from citemploi.intake.errors import FileRefused
from citemploi.intake.models import Category, Import, ImportedObject, ImportRow, Kind, State
from citemploi.intake.readers import read_table, read_workbook

logger = logging.getLogger("citemploi.intake")
BATCH = 1000


def _history() -> Any:
    try:
        from citemploi.intake import history  # type: ignore[attr-defined,unused-ignore]
    except ImportError as error:  # the history takeover ships separately (docs/intake.md)
        raise FileRefused(_("La reprise de l'historique n'est pas disponible sur cette installation.")) from error
    return history


def open_headers(kind: str, path: Path, *, filename: str) -> list[str]:
    """What can be checked at once: the file opens as its kind expects (else FileRefused, French message)."""
    if kind == Kind.PEOPLE:
        table = read_table(path, filename=filename)
        if not [h for h in table.headers if h]:
            raise FileRefused(_("Aucune ligne d'en-tête : la première ligne doit nommer les colonnes."))
        return list(table.headers)
    return sorted(read_workbook(path, filename=filename))


def enqueue_analysis(batch_id: int) -> None:
    from citemploi.intake.tasks import import_analyse_task

    import_analyse_task.enqueue(batch_id)


def enqueue_processing(batch_id: int) -> None:
    from citemploi.intake.tasks import import_process_task

    import_process_task.enqueue(batch_id)


def progress(batch: Import, done: int, total: int | None = None) -> None:
    fields: dict[str, Any] = {"processed_rows": done, "updated_at": timezone.now()}
    if total is not None:
        fields["total_rows"] = total
    Import.objects.filter(pk=batch.pk).update(**fields)


# --- Analysis ------------------------------------------------------------------------------------------------


def analyse(batch: Import) -> None:
    """Read and check every row (nothing of the cohort is touched); the import becomes « analysé »."""
    ImportRow.objects.filter(batch=batch).delete()
    if batch.kind == Kind.PEOPLE:
        _analyse_people(batch)
    else:
        _analyse_history(batch)
    batch.state = State.ANALYSED
    batch.save(update_fields=["state", "counts", "error", "total_rows", "processed_rows", "updated_at"])


def _analyse_people(batch: Import) -> None:
    from citemploi.intake.people import MappingError, analyse_rows, check_mapping

    table = read_table(Path(batch.file.path), filename=batch.original_name)
    try:
        check_mapping(batch.mapping, table.headers)
    except MappingError as error:
        batch.error, batch.counts = str(error), {}
        return
    rows, errors, pending = 0, 0, []
    for row in analyse_rows(table, batch.mapping):
        rows += 1
        errors += bool(row.errors)
        category = Category.ERROR if row.errors else ""
        pending.append(ImportRow(batch=batch, line=row.line, values=row.values, errors=row.errors, category=category))
        if len(pending) >= BATCH:
            insert_many(ImportRow, pending)
            pending = []
            progress(batch, rows)
    insert_many(ImportRow, pending)
    batch.error, batch.total_rows, batch.processed_rows = "", rows, rows
    batch.counts = {"rows": rows, "errors": errors, "valid": rows - errors, "excluded": 0}


def _analyse_history(batch: Import) -> None:
    plan = _history().analyse(read_workbook(Path(batch.file.path), filename=batch.original_name), by=batch.created_by)
    grouped: dict[tuple[str, int], list[dict[str, str]]] = {}
    for error in plan.errors:
        grouped.setdefault((error.sheet, error.row), []).append({"column": error.column, "message": error.message})
    ImportRow.objects.bulk_create(
        [
            ImportRow(batch=batch, sheet=sheet, line=line, errors=errs, category=Category.ERROR)
            for (sheet, line), errs in grouped.items()
        ],
        batch_size=BATCH,
    )
    rows = sum(int(v) for v in plan.counts.values())
    batch.error, batch.total_rows, batch.processed_rows = "", rows, rows
    batch.counts = {**{k: int(v) for k, v in plan.counts.items()}, "rows": rows, "errors": len(grouped)}


# --- Processing after confirmation --------------------------------------------------------------------------


def process(batch: Import) -> None:
    if batch.kind == Kind.PEOPLE:
        from citemploi.intake.cross_check import cross_check

        cross_check(batch)
    else:
        _apply_history(batch)


def _apply_history(batch: Import) -> None:
    history = _history()
    plan = history.analyse(read_workbook(Path(batch.file.path), filename=batch.original_name), by=batch.created_by)
    if plan.errors:
        raise FileRefused(_("Le fichier a changé depuis l'analyse : relancez l'import."))
    with transaction.atomic():
        created = history.apply(plan, by=batch.created_by, source=batch.original_name)
        record_created(batch, created)
        batch.state, batch.imported_at = State.IMPORTED, timezone.now()
        batch.counts = {**batch.counts, "created": len(created), "processed": True}
        batch.save(update_fields=["state", "imported_at", "counts", "updated_at"])


def record_created(batch: Import, objects: list[Any]) -> None:
    """Remember what an import created, in creation order (undo removes them in reverse order). A constant
    number of queries per BATCH objects (the people's timeline lines are counted in one query per batch)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from citemploi.intake.undo import fingerprint
    from citemploi.pathways.models import Person, TimelineEvent

    for start in range(0, len(objects), BATCH):
        chunk = objects[start : start + BATCH]
        people = [obj.pk for obj in chunk if isinstance(obj, Person)]
        lines = TimelineEvent.objects.filter(person_id__in=people).values("person_id").annotate(n=Count("id"))
        events = {row["person_id"]: row["n"] for row in lines} if people else {}
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    batch=batch,
                    content_type=ContentType.objects.get_for_model(obj),
                    object_id=obj.pk,
                    fingerprint=fingerprint(obj, events=events.get(obj.pk, 0) if isinstance(obj, Person) else None),
                )
                for obj in chunk
            ]
        )
