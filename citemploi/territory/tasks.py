"""« Vérifier un fichier » : uploaded files tagged by a background task (django-tasks), deleted after a delay.

Services: ``tag_job_create`` (store the upload, enqueue the task), ``tag_job_run`` (the task), ``tag_jobs_purge``
(retention, `citemploi qpv purge-files`). A job is visible to its owner only: the file holds the owner's people.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from citemploi.accounts.models import User
from citemploi.core.errors import Conflict
from citemploi.core.exports import safe_row
from citemploi.core.uploads import Deadline, FileRefused, UploadLimits
from citemploi.territory.geocoding import GeocoderError
from citemploi.territory.models import TagJob
from citemploi.territory.tagging import TagFileError, tag_file

logger = logging.getLogger(__name__)
WEB_CHUNK = 10_000  # smaller chunks than the command line: the progress bar moves more often
FILES_QUEUE = "files"  # its own worker (docs/operations.md): a long check never delays other kinds of work
ZIP_SUFFIXES = (".xlsx", ".ods", ".zip")


def tag_jobs_visible_to(user: User) -> QuerySet[TagJob]:
    """The jobs ``user`` may see: their own (others' answer 404)."""
    return TagJob.objects.filter(owner=user)


LIVE = (TagJob.Status.PENDING, TagJob.Status.RUNNING)


def check_upload(upload: UploadedFile, *, limits: UploadLimits | None = None) -> None:
    """Refuse (FileRefused, French message) a file over the limits, from what can be seen without processing it:
    its size, the central directory of a workbook, the header of a CSV."""
    limits = limits or UploadLimits.current()
    limits.check_size(upload.size or 0)
    upload.seek(0)
    try:
        if Path(upload.name or "").suffix.lower() in ZIP_SUFFIXES:
            limits.check_archive(upload.file)  # type: ignore[arg-type]
        else:
            head = upload.read((limits.columns + 1) * (limits.cell_chars + 3)).split(b"\n", 1)[0]
            limits.check_columns(max(head.count(b";"), head.count(b",")) + 1)
    finally:
        upload.seek(0)


def _release_stale_jobs(owner: User) -> None:
    """A job live for longer than twice the time budget died with its worker: it no longer blocks its owner."""
    stale = timezone.now() - timedelta(seconds=2 * settings.QPV_FILE_TIME_BUDGET_SECONDS)
    TagJob.objects.filter(owner=owner, status__in=LIVE, updated_at__lt=stale).update(
        status=TagJob.Status.FAILED, error=_("Vérification interrompue : relancez-la."), updated_at=timezone.now()
    )


def tag_job_create(*, owner: User, upload: UploadedFile, geocode: bool) -> TagJob:
    """Store the uploaded file and queue its tagging (runs in the worker, or at once with the immediate backend).

    Refused (FileRefused) for a file over the limits, and (Conflict) while the owner has a check waiting or
    running: one at a time per user, so that nobody fills the queue (a database constraint holds it under races).
    """
    check_upload(upload)
    name = Path(upload.name or "fichier.csv").name[:200]
    _release_stale_jobs(owner)
    busy = Conflict(_("Une vérification de fichier est déjà en cours : attendez qu'elle se termine."))
    if TagJob.objects.filter(owner=owner, status__in=LIVE).exists():
        raise busy
    try:
        job = _store(owner, upload, name, geocode)
    except IntegrityError as error:
        raise busy from error
    tag_job_run.enqueue(job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def _store(owner: User, upload: UploadedFile, name: str, geocode: bool) -> TagJob:
    job = TagJob(
        owner=owner,
        original_name=name,
        geocode=geocode,
        expires_at=timezone.now() + timedelta(hours=settings.QPV_FILE_RETENTION_HOURS),
    )
    job.save()  # first: the constraint refuses a second live job before the file is written
    job.source.save(f"{job.public_id}{Path(name).suffix.lower()}", upload, save=False)
    job.save(update_fields=["source"])
    return job


@task(queue_name=FILES_QUEUE)
def tag_job_run(job_id: int) -> None:
    """Tag the job's file; progress is written to the job row as chunks are done. The work stops (failed) once
    QPV_FILE_TIME_BUDGET_SECONDS are spent, so that the files queue moves on."""
    job = TagJob.objects.filter(pk=job_id, status=TagJob.Status.PENDING).first()
    if job is None:
        return
    job.status = TagJob.Status.RUNNING
    job.total_rows = _count_rows(Path(job.source.path))
    job.save(update_fields=["status", "total_rows", "updated_at"])
    deadline = Deadline(settings.QPV_FILE_TIME_BUDGET_SECONDS)
    with tempfile.TemporaryDirectory() as work:
        try:
            _run(job, Path(work), deadline)
        except (TagFileError, GeocoderError, FileRefused) as exc:
            job.status, job.error = TagJob.Status.FAILED, str(exc)
        except Exception:
            logger.exception("vérification de fichier %s", job.pk)
            job.status, job.error = TagJob.Status.FAILED, _("Erreur inattendue : l'équipe technique est prévenue.")
        job.save(update_fields=["status", "error", "result", "summary", "processed_rows", "updated_at"])


def _run(job: TagJob, work: Path, deadline: Deadline) -> None:
    source = Path(job.source.path)
    is_xlsx = source.suffix == ".xlsx"
    csv_in = _xlsx_to_csv(source, work / "entree.csv", deadline=deadline) if is_xlsx else source
    csv_out = work / "sortie.csv"

    def progress(rows: int) -> None:
        TagJob.objects.filter(pk=job.pk).update(processed_rows=rows, updated_at=timezone.now())
        deadline.check()

    # The file a user downloads is for French spreadsheet software: `;`, French column names and values.
    summary = tag_file(csv_in, csv_out, geocode=job.geocode, chunk_size=WEB_CHUNK, progress=progress, french=True)
    result = _csv_to_xlsx(csv_out, work / "sortie.xlsx", delimiter=";") if is_xlsx else csv_out
    stem = Path(job.original_name).stem
    with result.open("rb") as handle:
        job.result.save(f"{job.public_id}-{stem}-qpv{result.suffix}", File(handle), save=False)
    job.status = TagJob.Status.DONE
    job.processed_rows = summary.rows
    job.summary = {"lines": summary.lines(), "rows": summary.rows, **{k: v for k, v in summary.statuses.items()}}


def _count_rows(path: Path) -> int | None:
    if path.suffix == ".xlsx":
        return None
    with path.open("rb") as handle:
        return max(sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)


def _xlsx_to_csv(source: Path, target: Path, *, deadline: Deadline | None = None) -> Path:
    """First sheet of a workbook as CSV text (codes such as 42000 or 2A004 are read as text, not numbers).

    The zip's central directory is checked before openpyxl opens anything (a bomb stops there), then every row
    against the column, row and cell limits, and the time budget every thousand rows."""
    from openpyxl import load_workbook

    limits = UploadLimits.current()
    limits.check_archive(str(source))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged file
        raise TagFileError(_("Classeur illisible : enregistrez-le à nouveau au format XLSX ou CSV.")) from exc
    try:
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for n, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                limits.check_columns(len(row))
                limits.check_rows(n - 1)
                cells = ["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row]
                for cell in cells:
                    limits.check_cell(cell, n)
                writer.writerow(cells)
                if deadline is not None and n % 1000 == 0:
                    deadline.check()
    finally:
        workbook.close()
    return target


def _csv_to_xlsx(source: Path, target: Path, *, delimiter: str | None = None) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("QPV")
    with source.open(encoding="utf-8-sig", newline="") as handle:
        if delimiter is None:
            first = handle.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            handle.seek(0)
        for r, row in enumerate(csv.reader(handle, delimiter=delimiter)):
            sheet.write_row(r, 0, safe_row(row))
    workbook.close()
    return target


def tag_jobs_purge(*, dry_run: bool = False) -> int:
    """Delete the jobs past their retention delay, with their uploaded and tagged files."""
    expired = TagJob.objects.filter(expires_at__lte=timezone.now())
    count = 0
    for job in expired.iterator():
        count += 1
        if not dry_run:
            job.source.delete(save=False)
            if job.result:
                job.result.delete(save=False)
            job.delete()
    return count
