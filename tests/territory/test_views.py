"""Screens: "Vérifier une adresse", "Vérifier un fichier" (background task, progress, download, retention), map."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from citemploi.territory.models import TagJob
from tests.factories.territory import ensure_territory
from tests.territory.conftest import SAINT_ETIENNE


@pytest.fixture
def ready(perimeters_file, ban_file, settings):
    settings.GEOCODER = "ban_local"
    call_command("qpv", "import", str(perimeters_file))
    call_command("ban", "import", str(ban_file))


def test_address_check_shows_the_answer_and_the_map(ready, clients):
    url = reverse("territory:address_check")
    response = clients["referent"].get(url, {"address": "12 bis av. de la Libération", "postcode": "42000", "city": ""})
    page = response.content.decode()
    assert "Dans le QPV Cotonne Montferré (QN04211M)" in page
    assert "12 bis Avenue de la Libération 42000 Saint-Étienne" in page
    assert f'data-lon="{SAINT_ETIENNE[0]:.6f}"' in page and 'data-qpv-url="/territoire/carte/qpv.geojson"' in page
    assert "Fond de carte non configuré" in page  # no tile URL: the page still works


def test_address_check_says_when_perimeters_are_missing(db, clients, settings):
    ensure_territory()
    settings.GEOCODER = "ban_local"
    page = clients["coordinator"].get(reverse("territory:address_check")).content.decode()
    assert "Périmètres des QPV non chargés" in page and "Contactez l'administrateur de la plateforme" in page
    assert "citemploi qpv" not in page  # the command is in docs/operations.md, not on a user's screen


def test_file_check_runs_in_the_background_and_gives_the_tagged_file(ready, clients, world):
    client = clients["referent"]
    upload = SimpleUploadedFile(
        "partenaire.csv", f"id;lon;lat\n1;{SAINT_ETIENNE[0]};{SAINT_ETIENNE[1]}\n2;x;y\n".encode()
    )
    response = client.post(reverse("territory:file_check"), {"file": upload})
    job = TagJob.objects.get(owner=world.users["referent"])
    assert response.status_code == 302 and response["Location"] == reverse(
        "territory:file_job", kwargs={"public_id": job.public_id}
    )
    assert job.status == "done" and job.processed_rows == 2  # immediate backend in tests
    status = client.get(reverse("territory:file_job_status", kwargs={"public_id": job.public_id})).json()
    assert status["percent"] == 100 and status["download_url"] and "2 ligne(s) traitée(s)" in status["summary"]
    download = client.get(status["download_url"])
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert 'filename="partenaire-qpv.csv"' in download["Content-Disposition"]
    assert content.splitlines()[1].startswith("1;") and ";dans un QPV;QN04211M;" in content
    assert content.splitlines()[0] == (
        "id;lon;lat;statut_qpv;code_qpv;nom_qpv;géographie_qpv;distance_limite_m;proche_limite;message"
    )
    assert "erreur;" in content and "coordonnées non numériques" in content
    page = client.get(reverse("territory:file_job", kwargs={"public_id": job.public_id})).content.decode()
    assert "Télécharger le fichier vérifié" in page and 'max="100" value="100"' in page


def test_xlsx_file_comes_back_as_xlsx(ready, clients, world):
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    workbook.active.append(["lon", "lat", "code_insee"])
    workbook.active.append([SAINT_ETIENNE[0], SAINT_ETIENNE[1], "42218"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("liste.xlsx", buffer.getvalue())
    clients["coordinator"].post(reverse("territory:file_check"), {"file": upload})
    job = TagJob.objects.get(owner=world.users["coordinator"])
    assert job.status == "done", job.error
    with job.result.open("rb") as handle:
        rows = list(load_workbook(handle, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][3] == "statut_qpv" and rows[1][3] == "dans un QPV"


def test_downloaded_file_is_french_with_semicolons_even_for_a_comma_file(ready, clients, world):
    """French spreadsheet software opens it as is: `;`, French column names and values, decimal commas."""
    upload = SimpleUploadedFile("virgules.csv", f"lon,lat\n{SAINT_ETIENNE[0]},{SAINT_ETIENNE[1]}\n".encode())
    clients["referent"].post(reverse("territory:file_check"), {"file": upload})
    job = TagJob.objects.get(owner=world.users["referent"])
    with job.result.open("rb") as handle:
        header, row = handle.read().decode("utf-8-sig").splitlines()
    assert header.startswith("lon;lat;statut_qpv;code_qpv;nom_qpv;")
    cells = row.split(";")
    assert cells[2] == "dans un QPV" and "." not in cells[7]  # distance_limite_m with a decimal comma
    assert cells[0] == str(SAINT_ETIENNE[0])  # the input's own cells are kept as typed


def test_a_bad_file_fails_with_its_message(ready, clients, world):
    upload = SimpleUploadedFile("noms.csv", b"nom,prenom\nA,B\n")
    clients["referent"].post(reverse("territory:file_check"), {"file": upload})
    job = TagJob.objects.get()
    assert job.status == "failed" and "Colonnes lon et lat introuvables" in job.error and not job.result


def test_wrong_extension_is_refused(db, clients):
    upload = SimpleUploadedFile("photo.png", b"\x89PNG")
    response = clients["referent"].post(reverse("territory:file_check"), {"file": upload})
    assert "Formats acceptés : CSV ou XLSX." in response.content.decode()
    assert not TagJob.objects.exists()


def test_purge_deletes_expired_jobs_and_their_files(ready, clients, world, capsys):
    upload = SimpleUploadedFile("a.csv", f"lon,lat\n{SAINT_ETIENNE[0]},{SAINT_ETIENNE[1]}\n".encode())
    clients["referent"].post(reverse("territory:file_check"), {"file": upload})
    job = TagJob.objects.get()
    paths = [job.source.path, job.result.path]
    call_command("qpv", "purge-files")
    assert TagJob.objects.count() == 1  # not expired yet
    TagJob.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("qpv", "purge-files")
    assert not TagJob.objects.exists()
    import os

    assert not any(os.path.exists(p) for p in paths)


def test_map_and_perimeters_json(ready, clients, max_queries):
    with max_queries(12):
        page = clients["state_copilot"].get(reverse("territory:map")).content.decode()
    assert "20 périmètre(s) de QPV chargé(s) sur 20" in page and "Montrambert Méline (QN04204M)" in page
    data = clients["state_copilot"].get(reverse("territory:qpv_geojson")).json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert "QN04211M" in codes and "QN06901M" not in codes
    one = clients["referent"].get(reverse("territory:qpv_geojson"), {"code": "QN04204M"}).json()
    assert [f["properties"]["code"] for f in one["features"]] == ["QN04204M"]


def test_map_without_perimeters_says_so(db, clients):
    ensure_territory()
    page = clients["referent"].get(reverse("territory:map")).content.decode()
    assert "Périmètres des QPV non chargés" in page and 'id="carte-qpv"' not in page
