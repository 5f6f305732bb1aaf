"""Directory search, coverage matrix (pinned query counts), exports, completeness, reminders."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from citemploi.partners.coverage import coverage_matrix
from citemploi.partners.services import ProfileChanges, profile_save
from tests.conftest import assert_max_queries
from tests.factories.partners import ActionFactory, ServiceFactory
from tests.factories.territory import ensure_territory

pytestmark = pytest.mark.django_db


def _offer(world, n):
    for i in range(n):
        ServiceFactory(structure=world.relais, zone_eligibilite=["42218"] if i % 2 else ["244200770"])
        ActionFactory(carrier=world.other_relais)


def _directory_queries(client, url):
    with assert_max_queries(100) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_does_not_grow_with_services(world, clients):
    ensure_territory()
    url = (
        reverse("partners:directory")
        + "?thematique=preparer-sa-candidature&qpv=QN04213M&public=demandeurs-emploi&q=atelier"
    )
    _offer(world, 2)
    small = _directory_queries(clients["state_copilot"], url)
    _offer(world, 25)
    assert _directory_queries(clients["state_copilot"], url) == small


def test_coverage_matrix_counts_and_query_count(world, clients):
    ensure_territory()
    _offer(world, 2)
    with assert_max_queries(100) as ctx:
        clients["coordinator"].get(reverse("partners:coverage"))
    small = len(ctx.captured_queries)
    _offer(world, 20)
    with assert_max_queries(small):
        assert clients["coordinator"].get(reverse("partners:coverage")).status_code == 200


def test_coverage_cell_matches_its_click_through(world, clients):
    ensure_territory()
    ServiceFactory(structure=world.relais, zone_eligibilite=["42218"])  # Saint-Étienne: its QPV
    ServiceFactory(structure=world.relais, zone_eligibilite=["42095"])  # Firminy only
    ServiceFactory(structure=world.relais, zone_eligibilite=[], thematiques=["mobilite--preparer-un-permis"])
    columns, rows = coverage_matrix()
    row = next(r for r in rows if r.qpv.code == "QN04213M")  # Montreynaud, Saint-Étienne
    count, url = next((n, u) for slug, n, u in row.cells if slug == "preparer-sa-candidature")
    assert count == 1
    page = clients["coordinator"].get(url)
    assert page.context["page"].paginator.count == count


def test_open_now_filter(world, clients):
    service = ServiceFactory(structure=world.relais)
    now = timezone.localtime()
    start = (now - dt.timedelta(hours=1)).time().replace(microsecond=0)
    end = (now + dt.timedelta(hours=1)).time().replace(microsecond=0)
    if end > start:
        profile_save(
            actor=None,
            structure=world.relais,
            changes=ProfileChanges.of({"description": "x"}),
            slots=[(now.weekday(), start, end)],
            geocode=False,
        )
        page = clients["referent"].get(reverse("partners:directory") + "?open_now=on")
        assert service in page.context["page"].object_list
    profile_save(
        actor=None,
        structure=world.relais,
        changes=ProfileChanges.of({}),
        slots=[((now.weekday() + 1) % 7, dt.time(9), dt.time(10))],
        geocode=False,
    )
    page = clients["referent"].get(reverse("partners:directory") + "?open_now=on")
    assert service not in page.context["page"].object_list


def test_exports_neutralise_formulas(world, clients):
    ServiceFactory(structure=world.relais, name='=HYPERLINK("http://x")')
    csv_text = b"".join(
        clients["state_copilot"].get(reverse("partners:export", args=["services", "csv"])).streaming_content
    ).decode()
    assert "'=HYPERLINK" in csv_text
    response = clients["state_copilot"].get(reverse("partners:export", args=["services", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in values


def test_export_query_count_is_pinned(world, clients):
    _offer(world, 3)
    with assert_max_queries(100) as ctx:
        b"".join(clients["coordinator"].get(reverse("partners:export", args=["actions", "csv"])).streaming_content)
    small = len(ctx.captured_queries)
    _offer(world, 15)
    with assert_max_queries(small):
        b"".join(clients["coordinator"].get(reverse("partners:export", args=["actions", "csv"])).streaming_content)


def test_remind_stale_emails_structures(world, settings, django_capture_on_commit_callbacks):
    world.relais.email = "relais@exemple.test"
    world.relais.save()
    with django_capture_on_commit_callbacks(execute=True):  # mails leave once the transaction commits
        call_command("offer", "remind-stale")
    recipients = {address for message in mail.outbox for address in message.to}
    assert "relais@exemple.test" in recipients and "referente@exemple.test" in recipients
    assert "etat@exemple.test" not in recipients  # State services are not part of the offer
    mail.outbox.clear()
    ServiceFactory(structure=world.relais)
    profile_save(
        actor=None, structure=world.relais, changes=ProfileChanges.of({"description": "À jour"}), geocode=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("offer", "remind-stale")
    assert all("relais@exemple.test" not in m.to for m in mail.outbox)


def test_completeness_lists_what_is_missing(world, clients):
    page = clients["coordinator"].get(reverse("partners:completeness"))
    row = next(r for r in page.context["rows"] if r.structure == world.relais)
    assert "profil public" in row.missing and row.score < 50
