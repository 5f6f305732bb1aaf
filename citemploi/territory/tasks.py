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
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from citemploi.accounts.models import User
from citemploi.territory.geocoding import GeocoderError
from citemploi.territory.models import TagJob
from citemploi.territory.tagging import TagFileError, tag_file

logger = logging.getLogger(__name__)
WEB_CHUNK = 10_000  # smaller chunks than the command line: the progress bar moves more often


def tag_jobs_visible_to(user: User) -> QuerySet[TagJob]:
    """The jobs ``user`` may see: their own (others' answer 404)."""
    return TagJob.objects.filter(owner=user)


def tag_job_create(*, owner: User, upload: UploadedFile, geocode: bool) -> TagJob:
    """Store the uploaded file and queue its tagging (runs in the worker, or at once with the immediate backend)."""
    name = Path(upload.name or "fichier.csv").name[:200]
    with transaction.atomic():
        job = TagJob(
            owner=owner,
            original_name=name,
            geocode=geocode,
            expires_at=timezone.now() + timedelta(hours=settings.QPV_FILE_RETENTION_HOURS),
        )
        job.source.save(f"{job.public_id}{Path(name).suffix.lower()}", upload, save=False)
        job.save()
    tag_job_run.enqueue(job.pk)
    job.refresh_from_db()
    return job


@task()
def tag_job_run(job_id: int) -> None:
    """Tag the job's file; progress is written to the job row as chunks are done."""
    job = TagJob.objects.filter(pk=job_id, status=TagJob.Status.PENDING).first()
    if job is None:
        return
    job.status = TagJob.Status.RUNNING
    job.total_rows = _count_rows(Path(job.source.path))
    job.save(update_fields=["status", "total_rows", "updated_at"])
    with tempfile.TemporaryDirectory() as work:
        try:
            _run(job, Path(work))
        except (TagFileError, GeocoderError) as exc:
            job.status, job.error = TagJob.Status.FAILED, str(exc)
        except Exception:
            logger.exception("vérification de fichier %s", job.pk)
            job.status, job.error = TagJob.Status.FAILED, _("Erreur inattendue : l'équipe technique est prévenue.")
        job.save(update_fields=["status", "error", "result", "summary", "processed_rows", "updated_at"])


def _run(job: TagJob, work: Path) -> None:
    source = Path(job.source.path)
    is_xlsx = source.suffix == ".xlsx"
    csv_in = _xlsx_to_csv(source, work / "entree.csv") if is_xlsx else source
    csv_out = work / "sortie.csv"

    def progress(rows: int) -> None:
        TagJob.objects.filter(pk=job.pk).update(processed_rows=rows)

    summary = tag_file(csv_in, csv_out, geocode=job.geocode, chunk_size=WEB_CHUNK, progress=progress)
    result = _csv_to_xlsx(csv_out, work / "sortie.xlsx") if is_xlsx else csv_out
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


def _xlsx_to_csv(source: Path, target: Path) -> Path:
    """First sheet of a workbook as CSV text (codes such as 42000 or 2A004 are read as text, not numbers)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged file
        raise TagFileError(_("Classeur illisible : enregistrez-le à nouveau au format XLSX ou CSV.")) from exc
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            writer.writerow(["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row])
    workbook.close()
    return target


def _csv_to_xlsx(source: Path, target: Path) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("QPV")
    with source.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        handle.seek(0)
        for r, row in enumerate(csv.reader(handle, delimiter=delimiter)):
            sheet.write_row(r, 0, row)
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
