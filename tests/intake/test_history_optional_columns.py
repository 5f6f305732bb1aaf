"""Optional columns of the history workbook (issue 13 « the same cohort through the history import gives the same
figures »): ``qpv_entree``, the priority-public facts and the referent. A workbook written before they existed has
no such column: it still reads, and every fact it lacks is « non renseigné » (None), never « non »."""

from __future__ import annotations

import pytest
from django.db import transaction

from citemploi.intake.history import analyse, apply
from citemploi.intake.history.columns import column_names, required_column_names
from citemploi.pathways.models import Person, ReferentAssignment
from tests.factories.territory import load_square_qpv
from tests.intake.test_history_analyse import d, errors_of, only_error, person
from tests.intake.test_history_support import make_table, sheets

pytestmark = pytest.mark.django_db

OPTIONAL = [
    "qpv_entree", "rsa", "inscrit_france_travail", "categorie_france_travail", "inscrit_france_travail_depuis",
    "rqth", "niveau_formation", "referent", "date_referent", "etat_manuel", "date_etat_manuel", "motif_etat_manuel",
]  # fmt: skip


def _old_workbook(*rows: dict[str, str], contacts=()):
    """The sheets as a workbook written before the optional columns: they are not in the header at all."""
    old = required_column_names("personnes")
    assert set(column_names("personnes")) - set(old) == set(OPTIONAL)
    tables = sheets(contacts=list(contacts))
    tables["personnes"] = make_table(old, [[row.get(c, "") for c in old] for row in rows])
    return tables


def _take_over(tables, by):
    plan = analyse(tables, by=by)
    assert plan.errors == [], errors_of(plan)
    with transaction.atomic():
        apply(plan, by=by, source="suivi.xlsx")
    return Person.objects.get()


def test_an_older_workbook_without_the_optional_columns_reads_as_unknown(world):
    coordinator = world.users["coordinator"]
    contact = {"ref": "P1", "date": d(290), "type": "rdv"}
    taken = _take_over(_old_workbook(person(), contacts=[contact]), coordinator)
    facts = (taken.rsa, taken.ft_registered, taken.ft_category, taken.ft_registered_since, taken.rqth)
    assert facts == (None, None, None, None, None)  # unknown, never « non »
    assert taken.education_level == "" and taken.pathway.referent is None
    assert taken.qpv_entry is None and taken.qpv_entry_status == "unknown"  # computed: no address, no point


def test_the_optional_columns_go_through_the_services(world):
    load_square_qpv("QN04299M")
    coordinator, referent = world.users["coordinator"], world.users["referent"]
    row = person(
        qpv_entree="QN04299M", rsa="RSA majoré", inscrit_france_travail="oui", categorie_france_travail="a",
        inscrit_france_travail_depuis=d(800), rqth="non", niveau_formation="50",
        referent="REFERENTE@exemple.test", date_referent=d(295),
    )  # fmt: skip
    taken = _take_over(sheets(personnes=[row], contacts=[{"ref": "P1", "date": d(290), "type": "rdv"}]), coordinator)
    assert (taken.rsa, taken.ft_registered, taken.ft_category, taken.rqth) == ("majore", True, "A", False)
    assert taken.education_level == "50" and taken.ft_registered_since is not None
    assert (taken.qpv_entry.code, taken.qpv_entry_status) == ("QN04299M", "in")
    assert taken.qpv_entry_on is not None  # the entry day is still the first contact's
    assignment = ReferentAssignment.objects.get(person=taken)
    assert (assignment.referent, f"{assignment.started_at.astimezone():%d/%m/%Y}") == (referent, d(295))
    assert taken.pathway.referent == referent and taken.pathway.structure == world.relais
    assert taken.timeline.filter(kind="referent.assigned").get().label.endswith("le " + d(0))


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"referent": "inconnu@exemple.test", "date_referent": d(200)}, "referent", "Aucun compte actif"),
        ({"referent": "exterieur@exemple.test", "date_referent": d(200)}, "referent", "n'accompagne pas dans"),
        ({"referent": "referente@exemple.test"}, "date_referent", "Indiquez la date de désignation"),
        ({"date_referent": d(200)}, "referent", "sans référent"),
        ({"referent": "referente@exemple.test", "date_referent": d(400)}, "date_referent", "précède le repérage"),
        ({"qpv_entree": "QN99999Z"}, "qpv_entree", "Code inconnu"),
        ({"rsa": "peut-être"}, "rsa", "Code inconnu"),
        ({"rqth": "bof"}, "rqth", "Réponse illisible"),
    ],
)
def test_a_wrong_optional_cell_is_an_error_of_its_row(world, values, column, message):
    plan = analyse(sheets(personnes=[person(**values)]), by=world.users["coordinator"])
    assert message in only_error(plan, "personnes", column)
    assert plan.people == [] and not Person.objects.exists()


def test_a_required_column_still_cannot_be_missing(world):
    headers = [c for c in column_names("personnes") if c != "canal_reperage"]
    tables = sheets()
    tables["personnes"] = make_table(headers, [])
    plan = analyse(tables, by=world.users["coordinator"])
    assert [(e.column, e.message) for e in plan.errors] == [
        ("canal_reperage", "Colonne manquante : « canal_reperage ».")
    ]


def test_a_state_set_by_hand_is_replayed_last_at_its_date(world):
    row = person(etat_manuel="perdu de vue", date_etat_manuel=d(200))
    taken = _take_over(sheets(personnes=[row], contacts=[{"ref": "P1", "date": d(290), "type": "rdv"}]),
                       world.users["coordinator"])  # fmt: skip
    assert taken.pathway.state == "perdu_de_vue"
    assert f"{taken.pathway.state_changed_at.astimezone():%d/%m/%Y}" == d(200)
    assert "État repris de l'historique." in taken.timeline.filter(kind="pathway.state").latest("at").label


@pytest.mark.parametrize(
    ("values", "extra", "message"),
    [
        ({"etat_manuel": "refus", "date_etat_manuel": d(295)}, {}, "précède le dernier événement"),
        ({"etat_manuel": "refus", "date_etat_manuel": d(100)}, {"sorties": [{"ref": "P1", "date_sortie": d(150),
                                                                              "situation": "formation"}]},
         "Une personne sortie"),
        ({"etat_manuel": "refus"}, {}, "Indiquez la date du changement d'état."),
    ],
)  # fmt: skip
def test_a_state_set_by_hand_must_be_the_last_word(world, values, extra, message):
    tables = sheets(personnes=[person(**values)], contacts=[{"ref": "P1", "date": d(290), "type": "rdv"}], **extra)
    plan = analyse(tables, by=world.users["coordinator"])
    assert any(message in e.message for e in plan.errors), errors_of(plan)
    assert plan.people == []
