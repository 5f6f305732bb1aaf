"""The COPIL pack's page, PDF button and CLI contract (issue 14 §5): the same PDF from the button and the command."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from citemploi.governance.models import Decision
from tests.conftest import login_client
from tests.factories.governance import copil, meeting
from tests.factories.pathways import make_person
from tests.governance.test_pack import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    instance = copil(world)
    session = meeting(instance, days=-10, title="COPIL d'hiver")
    Decision.objects.create(
        meeting=meeting(instance, days=-60, title="COPIL d'automne"),
        text="Recenser les ateliers numériques",
        owner=world.users["referent"],
        owner_structure=world.relais,
    )
    day = timezone.localdate() - dt.timedelta(days=20)
    for _ in range(7):
        make_person(by=world.users["referent"], spotted_on=day)
    return session


def test_the_meeting_page_offers_the_pack_and_the_page_shows_it(world, held):
    client = login_client(world.users["coordinator"])
    page = client.get(reverse("governance:meeting", args=[held.public_id])).content.decode()
    assert "Dossier du COPIL (PDF)" in page and reverse("governance:pack_pdf", args=[held.public_id]) in page
    html = client.get(reverse("governance:pack", args=[held.public_id])).content.decode()
    assert "Indicateurs clés" in html and "Recenser les ateliers numériques" in html
    assert world.users["referent"].get_full_name() in html


def test_a_steering_member_gets_the_masked_pack_whatever_they_ask(world, held):
    client = login_client(world.users["steering_member"])
    html = client.get(reverse("governance:pack", args=[held.public_id])).content.decode()
    assert "effectifs de 1 à 5 masqués" in html and world.users["referent"].get_full_name() not in html
    response = client.get(reverse("governance:pack_pdf", args=[held.public_id]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert world.users["referent"].get_full_name() not in pdf_text(response.content)


def test_the_command_writes_the_same_pdf_as_the_button(world, held, tmp_path):
    button = login_client(world.users["steering_member"]).get(reverse("governance:pack_pdf", args=[held.public_id]))
    output = tmp_path / "dossier.pdf"
    call_command(
        "governance", "pack", "--meeting", str(held.public_id), "--audience", "steering", "--output", str(output)
    )
    assert pdf_text(output.read_bytes()) == pdf_text(button.content)
    call_command("governance", "pack", "--meeting", str(held.pk), "--audience", "coordinator", "--output", str(output))
    assert world.users["referent"].get_full_name() in pdf_text(output.read_bytes())


def test_the_command_on_a_period_without_meeting(world, held, tmp_path):
    output = tmp_path / "periode.pdf"
    today = timezone.localdate()
    start, end = (today - dt.timedelta(days=90)).isoformat(), (today - dt.timedelta(days=1)).isoformat()
    call_command("governance", "pack", "--from", start, "--to", end, "--audience", "steering", "--output", str(output))
    text = pdf_text(output.read_bytes())
    for section in ("Indicateurs clés", "Entonnoir par QPV", "Avancement de la feuille de route"):
        assert section in text
    assert "Décisions à suivre" in text and "Besoins non couverts" in text
    assert "Ordre du jour" not in text and "Recenser les ateliers numériques" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--audience", "steering", "--output", "x.pdf"],
        ["--meeting", "999999", "--audience", "steering", "--output", "x.pdf"],
        ["--from", "2026-13-01", "--to", "2026-12-31", "--audience", "steering", "--output", "x.pdf"],
        ["--from", "2026-01-01", "--audience", "steering", "--output", "x.pdf"],
    ],
)
def test_the_command_refuses_bad_input(world, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError):
        call_command("governance", "pack", *args)
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_line_exits_0(tmp_path):
    """The real command in a fresh SQLite database: migrate, then a period pack, exit code 0 and a PDF."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"SQLITE_PATH": str(tmp_path / "db.sqlite3"), "DJANGO_ENV": "development"})
    run = [sys.executable, "-m", "citemploi"]
    migrate = subprocess.run([*run, "migrate", "-v", "0"], env=env, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    output = tmp_path / "dossier.pdf"
    args = ["governance", "pack", "--from", "2025-01-01", "--to", "2025-03-31", "--audience", "steering"]
    done = subprocess.run([*run, *args, "--output", str(output)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Besoins non couverts" in pdf_text(output.read_bytes())
