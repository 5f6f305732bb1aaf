"""The relais pages: what each user sees, the consolidated table and its export (query counts pinned at two
sizes), the import of the relais' spreadsheet, the COPIL pack section."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from citemploi.relais.consolidated import masked_summary, yearly_summary
from citemploi.relais.models import ActivityReport, OrientationLine, ReceptionLine, ReportState
from citemploi.relais.months import months_of_year
from tests.conftest import assert_max_queries, login_client
from tests.factories.accounts import StructureFactory

YEAR = 2025


def _network(count: int) -> list:
    relais = [StructureFactory(relais=True) for _ in range(count)]
    reports = [
        ActivityReport(relais=r, month=m, state=ReportState.VALIDATED, appointments=4, workshops=1, events=1)
        for r in relais
        for m in months_of_year(YEAR)[1:]  # January missing everywhere
    ]
    ActivityReport.objects.bulk_create(reports)
    ReceptionLine.objects.bulk_create(
        ReceptionLine(report=r, qpv_code=code, sex="F", new=2, returning=3)
        for r in reports
        for code in ("QN04213M", "")
    )
    OrientationLine.objects.bulk_create(OrientationLine(report=r, destination="plie", count=1) for r in reports)
    return relais


@pytest.mark.parametrize("size", [2, 8])
def test_consolidated_page_and_export_do_not_grow_with_data(world, qpvs, size):
    _network(size)
    client = login_client(world.users["coordinator"])
    with assert_max_queries(18):
        page = client.get(f"/relais/ensemble/?annee={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    relais_count = size + 2  # the world's two relais have no report at all
    assert html.count("table-warning missing") == relais_count + 2 * 11
    assert page.context["network"].missing_by_month[0] == relais_count
    assert page.context["network"].missing_by_month[1] == 2
    totals = {t.code: t.total for t in page.context["network"].qpv_totals}
    assert totals == {"QN04213M": 5 * 11 * size, "": 5 * 11 * size}
    with assert_max_queries(18):
        export = client.get(f"/relais/ensemble/export/?annee={YEAR}&format=xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    assert any("Relais par mois" in name for name in book.sheetnames)


def test_exports_in_every_format_name_no_person(world, qpvs):
    _network(1)
    client = login_client(world.users["coordinator"])
    ods = client.get(f"/relais/ensemble/export/?annee={YEAR}&format=ods")
    assert ods.status_code == 200 and ods["Content-Disposition"].endswith('.ods"')
    archive = client.get(f"/relais/ensemble/export/?annee={YEAR}&format=csv")
    text = " ".join(
        zipfile.ZipFile(io.BytesIO(archive.content)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    )
    assert "manquant" in text and world.users["referent"].last_name not in text


def test_yearly_summary_and_its_masking(world, qpvs):
    _network(2)
    lines = yearly_summary(YEAR, today=dt.date(YEAR + 1, 1, 15))
    line = next(s for s in lines if s.validated)
    assert (line.validated, line.missing, line.new, line.returning, line.orientations) == (11, 1, 44, 66, 11)
    empty = next(s for s in lines if not s.validated)
    assert empty.missing == 12 and empty.new == 0
    shown, totals = masked_summary([s.as_json() for s in lines])
    assert not [row for row in shown for name in ("new", "orientations") if row[name] in range(1, 6)]
    assert totals["validated"] == 22


def test_relais_agent_sees_own_page_masked_other_relais_404(world, qpvs):
    agent = login_client(world.users["referent"])
    own = agent.get(f"/relais/{world.relais.public_id}/")
    assert own.status_code == 200 and own.context["page"].masked
    assert "secret statistique" in own.content.decode()
    assert agent.get(f"/relais/{world.other_relais.public_id}/").status_code == 404
    assert agent.get("/relais/").status_code == 302
    coordinator = login_client(world.users["coordinator"]).get(f"/relais/{world.relais.public_id}/")
    assert coordinator.status_code == 200 and not coordinator.context["page"].masked


def _upload(client, world, month, content: bytes, name="rapport.csv"):
    page = f"http://testserver/relais/{world.relais.public_id}/rapports/{month:%Y-%m}/"
    data = {"file": SimpleUploadedFile(name, content)}
    return client.post(f"{page}importer/", data, follow=True, headers={"referer": page})


GOOD = (
    "Rubrique;QPV;Sexe;Destination;Valeur\n"
    "Nouvelles personnes;QN04213M;F;;4\n"
    "Nouvelles personnes;QN04213M;F;;1\n"
    "Personnes déjà reçues;Hors QPV;Homme;;2\n"
    "Rendez-vous;;;;12\n"
    "Ateliers;;;;2\n"
    "Participants aux ateliers;;;;9\n"
    "Orientations;;;Mission Locale;3\n"
    "Événements;;;;1\n"
    "Faits marquants;;;;Forum de l'alternance\n"
).encode()


def test_import_from_the_relais_spreadsheet(world, qpvs, last_month):
    client = login_client(world.users["referent"])
    answer = _upload(client, world, last_month, GOOD)
    assert "Rapport importé" in answer.content.decode()
    report = ActivityReport.objects.get()
    assert (report.source, report.appointments, report.workshops, report.workshop_attendance) == ("import", 12, 2, 9)
    assert sorted(report.receptions.values_list("qpv_code", "sex", "new", "returning")) == [
        ("", "M", 0, 2),
        ("QN04213M", "F", 5, 0),
    ]
    assert list(report.orientations.values_list("destination", "count")) == [("mission_locale", 3)]
    assert report.highlights == "Forum de l'alternance"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Rubrique;Valeur\nRendez-vous;beaucoup\n", "rapport.csv", "nombre entier attendu"),
        (b"Rubrique;Valeur\nCafe offert;3\n", "rapport.csv", "rubrique inconnue"),
        (b"Nom;Prenom\nDupont;Jean\n", "rapport.csv", "introuvables"),
        (b"Rubrique;QPV;Valeur\nNouvelles personnes;QN00000X;2\n", "rapport.csv", "quartier inconnu"),
        (b"PK\x03\x04 pas un vrai tableur", "rapport.xlsx", ""),
        (b'=HYPERLINK("http://x");1\n', "rapport.csv", ""),
    ],
)
def test_wrong_files_give_a_french_message_and_change_nothing(world, qpvs, last_month, content, name, message):
    client = login_client(world.users["referent"])
    answer = _upload(client, world, last_month, content, name)
    html = answer.content.decode()
    assert answer.status_code == 200 and "alert" in html
    assert message in html
    assert not ActivityReport.objects.exists()


def test_pack_lists_the_relais_summary(world, qpvs):
    from citemploi.evaluation.periods import year_of
    from citemploi.governance.pack import pack_build, pack_content

    _network(1)
    pack = pack_build(by=world.users["coordinator"], period=year_of(YEAR))
    content = pack_content(pack, audience="steering")
    assert content.relais and content.relais_totals["validated"] == 11
    row = next(r for r in content.relais if r["validated"])
    assert row["new"] is not None  # 22 new people: above the threshold, shown


def test_home_to_dos(world, qpvs, last_month):
    from django.urls import reverse

    home = html.unescape(login_client(world.users["referent"]).get(reverse("www:home")).content.decode())
    assert f"Rapport d'activité de {last_month:%m/%Y} à soumettre" in home
    ActivityReport.objects.create(relais=world.relais, month=last_month, state=ReportState.SUBMITTED)
    home = login_client(world.users["referent"]).get(reverse("www:home")).content.decode()
    assert "à soumettre" not in home
    assert (
        "Rapports des relais à valider"
        in login_client(world.users["coordinator"]).get(reverse("www:home")).content.decode()
    )


def test_relais_page_queries_do_not_grow_with_its_people_and_reports(world, qpvs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.pathways import make_person

    coordinator = login_client(world.users["coordinator"])
    counts = []
    for size in (1, 6):
        for _ in range(size):
            make_person(by=world.users["referent"])
        ActivityReport.objects.bulk_create(
            ActivityReport(relais=world.relais, month=m, state=ReportState.VALIDATED, appointments=1)
            for m in months_of_year(YEAR - size)
        )
        with CaptureQueriesContext(connection) as ctx:
            page = coordinator.get(f"/relais/{world.relais.public_id}/")
        assert page.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
