"""Uploads that would exhaust the worker are refused, with a French message, and nothing is written (issue 9 §16).

Every hostile file is generated here: a CSV with a million-column header, an XLSX zip bomb, too many rows, a
huge cell; a request whose Content-Length is over the limit; a second check while one is running; a job over its
time budget.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from citemploi.core.errors import Conflict
from citemploi.core.uploads import Deadline, FileRefused, UploadLimits
from citemploi.territory import tasks as jobs
from citemploi.territory.models import TagJob
from tests.conftest import login_client
from tests.territory.conftest import SAINT_ETIENNE

pytestmark = pytest.mark.django_db
ROW = f"{SAINT_ETIENNE[0]},{SAINT_ETIENNE[1]}"


@pytest.fixture
def ready(perimeters_file, settings, tmp_path):
    settings.GEOCODER = "ban_local"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("qpv", "import", str(perimeters_file))


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _post(client: Client, name: str, content: bytes) -> str:
    response = client.post(reverse("territory:file_check"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200  # the form again, with the message
    return response.content.decode()


def zip_bomb(rows: int = 3_000_000) -> bytes:
    """An XLSX-looking zip whose one sheet inflates to hundreds of megabytes (written in small pieces)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            row = b'<row><c t="inlineStr"><is><t>1</t></is></c></row>'
            block = row * 10_000
            for _ in range(rows // 10_000):
                sheet.write(block)
    return buffer.getvalue()


def test_million_column_header_is_refused_at_upload(ready, clients, world, settings):
    header = ",".join(f"c{i}" for i in range(1_000_000)).encode()
    page = _post(clients["referent"], "large.csv", header + b"\n1,2\n")
    assert "Trop de colonnes (" in page and ") : au plus 200. Gardez seulement les colonnes utiles." in page
    assert not TagJob.objects.exists() and _files(settings) == []


def test_xlsx_zip_bomb_is_refused_from_its_central_directory(ready, clients, settings):
    bomb = zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # a small file…
    page = _post(clients["referent"], "bombe.xlsx", bomb)
    assert "une fois décompressé" in page or "taux de compression anormal" in page
    assert not TagJob.objects.exists() and _files(settings) == []


def test_a_high_ratio_under_the_size_limit_is_refused_too(settings, tmp_path):
    settings.UPLOAD_MAX_UNCOMPRESSED_MB = 1000
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(zip_bomb(rows=600_000))
    with pytest.raises(FileRefused, match="taux de compression anormal"):
        UploadLimits.current().check_archive(str(path))


def test_bomb_reaching_the_worker_stops_before_openpyxl(ready, tmp_path, monkeypatch):
    """The command line and the job check the archive themselves (the form is not the only door)."""
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(zip_bomb())
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("openpyxl opened the bomb"))
    with pytest.raises(FileRefused):
        jobs._xlsx_to_csv(path, tmp_path / "out.csv")


def test_too_many_rows_and_a_huge_cell_fail_with_their_message(ready, tmp_path, settings):
    settings.UPLOAD_MAX_ROWS = 100
    source = tmp_path / "in.csv"
    source.write_text("lon,lat\n" + f"{ROW}\n" * 101)
    with pytest.raises(CommandError, match="Trop de lignes : au plus 100"):
        call_command("qpv", "tag", str(source), str(tmp_path / "out.csv"), "--chunk-size", "10")
    source.write_text(f"lon,lat,note\n{ROW},{'x' * 20_000}\n")
    with pytest.raises(CommandError, match="ligne 2 : une cellule dépasse 10000 caractères"):
        call_command("qpv", "tag", str(source), str(tmp_path / "out.csv"))
    assert not [p for p in tmp_path.iterdir() if "out" in p.name]  # no output, not even a partial one


def test_wide_rows_are_cut_while_read(ready, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("lon,lat\n" + ROW + "," * 100_000 + "\n")
    target = tmp_path / "out.csv"
    call_command("qpv", "tag", str(source), str(target))
    assert "ligne mal formée (3 colonnes au lieu de 2)" in target.read_text(encoding="utf-8-sig")


def test_request_over_the_limit_is_refused_before_its_body_is_read(db, world, settings):
    settings.UPLOAD_MAX_MB = 1
    client = login_client(world.users["referent"])
    response = client.generic(
        "POST",
        reverse("territory:file_check"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )
    assert response.status_code == 413 and "au plus 1 Mo" in response.content.decode()
    api = client.generic("POST", "/api/v1/contacts/", b"{}", content_type="application/json",
                         CONTENT_LENGTH=str(2 * 1024 * 1024))  # fmt: skip
    assert api.status_code == 413 and "detail" in api.json()


def test_one_check_at_a_time_per_user(ready, world, settings):
    owner = world.users["referent"]
    TagJob.objects.create(owner=owner, original_name="a.csv", expires_at="2099-01-01T00:00Z")  # pending
    upload = SimpleUploadedFile("b.csv", f"lon,lat\n{ROW}\n".encode())
    with pytest.raises(Conflict, match="déjà en cours"):
        jobs.tag_job_create(owner=owner, upload=upload, geocode=False)
    assert TagJob.objects.count() == 1 and _files(settings) == []
    other = jobs.tag_job_create(owner=world.users["colleague"], upload=upload, geocode=False)  # others go on
    assert other.status == "done"


def test_the_job_stops_at_its_time_budget(ready, world, settings, monkeypatch):
    monkeypatch.setattr(jobs, "WEB_CHUNK", 1)
    ticks = iter(range(0, 10_000, 100))  # each look at the clock: 100 s later
    monkeypatch.setattr(jobs, "Deadline", lambda seconds: Deadline(seconds, clock=lambda: next(ticks)))
    settings.QPV_FILE_TIME_BUDGET_SECONDS = 150
    upload = SimpleUploadedFile("b.csv", f"lon,lat\n{ROW}\n{ROW}\n{ROW}\n".encode())
    job = jobs.tag_job_create(owner=world.users["referent"], upload=upload, geocode=False)
    assert job.status == "failed" and "elle dépassait 150 secondes" in job.error and not job.result


def test_the_file_check_runs_on_its_own_queue():
    assert jobs.tag_job_run.queue_name == "files"


def test_the_database_holds_one_live_check_per_user(world):
    """The constraint behind the check above: two simultaneous uploads cannot both queue a job."""
    from django.db import IntegrityError, transaction

    owner = world.users["referent"]
    TagJob.objects.create(owner=owner, original_name="a.csv", expires_at="2099-01-01T00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        TagJob.objects.create(owner=owner, original_name="b.csv", status="running", expires_at="2099-01-01T00:00Z")
    TagJob.objects.create(owner=owner, original_name="c.csv", status="done", expires_at="2099-01-01T00:00Z")
