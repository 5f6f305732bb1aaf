"""The downloadable template: the six sheets with their exact columns and a « notice » sheet that explains every
column and lists every code, generated from the models' choices and the scheme catalogue."""

from __future__ import annotations

import io

import openpyxl
import pytest

from citemploi.intake.history import SHEETS, analyse, export_workbook, template_workbook
from citemploi.pathways.choices import Channel, ContactKind, ExitSituation, FreinTheme
from citemploi.pathways.models import Person
from citemploi.schemes.models import Scheme
from tests.intake.test_history_support import read_back

pytestmark = pytest.mark.django_db

COLUMNS = {
    "personnes": "ref nom prenom date_naissance sexe adresse code_postal commune lon lat telephone email "
    "structure_referente date_reperage canal_reperage qpv_entree rsa inscrit_france_travail categorie_france_travail "
    "inscrit_france_travail_depuis rqth niveau_formation referent date_referent etat_manuel date_etat_manuel "
    "motif_etat_manuel",
    "contacts": "ref date type initiative_personne",
    "orientations": "ref structure_emettrice structure_destinataire date_envoi date_accuse date_premier_rdv "
    "date_refus motif_refus date_expiration",
    "mobilisations": "ref dispositif structure date_proposition date_entree date_fin issue",
    "freins": "ref theme date_identification date_levee non_levable",
    "sorties": "ref date_sortie situation debut_contrat fin_contrat heures_hebdo",
}


def test_template_has_the_exact_columns_and_a_notice_listing_every_code(world, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook()), read_only=True)
    assert book.sheetnames == [*SHEETS, "notice"]
    for name, columns in COLUMNS.items():
        assert [c.value for c in next(book[name].iter_rows(max_row=1))] == columns.split()
    notice = [tuple("" if v is None else str(v) for v in row) for row in book["notice"].iter_rows(values_only=True)]
    explained = {(row[0], row[1]) for row in notice if len(row) > 3 and row[3] and row[0] in SHEETS}
    assert explained >= {(name, column) for name, columns in COLUMNS.items() for column in columns.split()}
    listed = {(row[1], row[2]) for row in notice if len(row) > 2 and row[0] in SHEETS}
    expected = (
        {("canal_reperage", c) for c in Channel.values}
        | {("type", c) for c in ContactKind.values}
        | {("theme", c) for c in FreinTheme.values}
        | {("situation", c) for c in ExitSituation.values}
        | {("dispositif", c) for c in Scheme.objects.values_list("code", flat=True)}
        | {("issue", c) for c in ("sortie", "abandon", "refusee")}
    )
    assert Scheme.objects.exists() and expected <= listed
    plan = analyse(read_back(template_workbook(), tmp_path, "modele.xlsx"), by=world.users["coordinator"])
    assert plan.errors == [] and plan.counts["personnes"] == 0  # the empty template reads back cleanly


def test_export_neutralises_formulas(world):
    from tests.factories.pathways import make_person

    make_person(by=world.users["referent"], address='=HYPERLINK("http://exemple.test")')
    book = openpyxl.load_workbook(io.BytesIO(export_workbook(Person.objects.all())), read_only=True)
    row = [c.value for c in list(book["personnes"].iter_rows(min_row=2, max_row=2))[0]]
    assert row[5] == '\'=HYPERLINK("http://exemple.test")'
