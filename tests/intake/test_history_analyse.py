"""``analyse`` of the history workbook: every contradiction with the product's rules is an error of its row (sheet,
row, column, French reason), the person is left out, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from citemploi.intake.history import analyse
from citemploi.pathways.models import Person, TimelineEvent
from tests.intake.test_history_support import make_table, sheets

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def d(days_ago: int) -> str:
    return f"{timezone.localdate() - dt.timedelta(days=days_ago):%d/%m/%Y}"


def person(ref: str = "P1", **values: str) -> dict[str, str]:
    row = {
        "ref": ref, "nom": "Fictif", "prenom": f"Camille {ref}", "structure_referente": "Relais emploi Montreynaud",
        "date_reperage": d(300), "canal_reperage": "permanence",
    }  # fmt: skip
    row.update(values)
    return row


def errors_of(plan):
    return [(e.sheet, e.row, e.column, e.message) for e in plan.errors]


def only_error(plan, sheet: str, column: str) -> str:
    found = [e for e in plan.errors if (e.sheet, e.column) == (sheet, column)]
    assert len(found) == 1, errors_of(plan)
    assert len(plan.errors) == 1, errors_of(plan)
    return found[0].message


@pytest.fixture
def coordinator(world):
    return world.users["coordinator"]


@pytest.fixture
def partner(world):
    from tests.intake.test_history_support import partners

    return partners()[0]  # Mission Locale fictive, SIRET 12345678900011


def test_a_valid_workbook_gives_a_plan_and_writes_nothing(coordinator, partner):
    plan = analyse(
        sheets(
            personnes=[person(), person("P2", sexe="F", date_naissance="03/04/1990", code_postal="42000")],
            contacts=[{"ref": "P1", "date": d(290), "type": "rdv", "initiative_personne": ""}],
            orientations=[
                {
                    "ref": "P1",
                    "structure_destinataire": "12345678900011",
                    "date_envoi": d(280),
                    "date_accuse": d(279),
                    "date_premier_rdv": d(270),
                }
            ],  # fmt: skip
        ),
        by=coordinator,
    )
    assert plan.errors == []
    assert plan.counts == {
        "personnes": 2, "contacts": 1, "orientations": 1, "mobilisations": 0, "freins": 0, "sorties": 0,
        "personnes_en_erreur": 0, "erreurs": 0,
    }  # fmt: skip
    assert plan.people[0].contacts[0].initiated is None  # an empty cell is unknown, never "non"
    assert not Person.objects.exists() and not TimelineEvent.objects.exists()


def test_first_meeting_before_acknowledgement_is_an_error_of_its_row(coordinator, partner):
    hand = {"ref": "P1", "structure_destinataire": "Mission Locale fictive", "date_envoi": d(280)}
    plan = analyse(
        sheets(personnes=[person()], orientations=[{**hand, "date_accuse": d(270), "date_premier_rdv": d(275)}]),
        by=coordinator,
    )
    message = only_error(plan, "orientations", "date_premier_rdv")
    assert message == f"Le premier rendez-vous ({d(275)}) précède l'accusé de réception ({d(270)})."
    assert plan.errors[0].row == 2 and plan.people == [] and plan.counts["personnes_en_erreur"] == 1
    plan = analyse(sheets(personnes=[person()], orientations=[{**hand, "date_premier_rdv": d(275)}]), by=coordinator)
    assert "suppose un accusé de réception" in only_error(plan, "orientations", "date_premier_rdv")


def test_entry_before_proposal(coordinator, partner):
    mob = {"ref": "P1", "dispositif": "cej", "structure": "Mission Locale fictive"}
    plan = analyse(
        sheets(personnes=[person()], mobilisations=[{**mob, "date_proposition": d(200), "date_entree": d(210)}]),
        by=coordinator,
    )
    assert only_error(plan, "mobilisations", "date_entree") == (
        f"L'entrée ({d(210)}) précède la proposition du dispositif ({d(200)})."
    )


def test_exit_before_entry(coordinator, partner):
    plan = analyse(
        sheets(
            personnes=[person()],
            contacts=[{"ref": "P1", "date": d(290), "type": "rdv"}],
            mobilisations=[
                {
                    "ref": "P1",
                    "dispositif": "cej",
                    "structure": "Mission Locale fictive",
                    "date_proposition": d(250),
                    "date_entree": d(240),
                    "date_fin": d(100),
                    "issue": "sortie",
                }
            ],
            sorties=[{"ref": "P1", "date_sortie": d(245), "situation": "chomage"}],
        ),  # fmt: skip
        by=coordinator,
    )
    assert ("sorties", 2, "date_sortie", f"La sortie ({d(245)}) précède l'entrée en parcours ({d(240)}).") in errors_of(
        plan
    )


def test_contact_before_the_reperage(coordinator):
    plan = analyse(
        sheets(personnes=[person()], contacts=[{"ref": "P1", "date": d(301), "type": "rdv"}]), by=coordinator
    )
    assert only_error(plan, "contacts", "date") == f"Le contact du {d(301)} précède le repérage ({d(300)})."


def test_a_date_in_the_future(coordinator):
    future = f"{timezone.localdate() + dt.timedelta(days=3):%d/%m/%Y}"
    plan = analyse(
        sheets(personnes=[person()], contacts=[{"ref": "P1", "date": future, "type": "rdv"}]), by=coordinator
    )
    assert only_error(plan, "contacts", "date") == f"Cette date ({future}) est dans le futur."


@pytest.mark.parametrize(
    ("sheet", "row", "column"),
    [
        ("personnes", {"canal_reperage": "pigeon"}, "canal_reperage"),
        ("contacts", {"ref": "P1", "date": d(10), "type": "telepathie"}, "type"),
        ("freins", {"ref": "P1", "theme": "meteo", "date_identification": d(10)}, "theme"),
        ("mobilisations", {"ref": "P1", "dispositif": "inconnu", "date_proposition": d(10)}, "dispositif"),
        ("sorties", {"ref": "P1", "date_sortie": d(10), "situation": "vacances"}, "situation"),
    ],
)
def test_an_unknown_code(coordinator, sheet, row, column):
    rows = {"personnes": [person(**row)]} if sheet == "personnes" else {"personnes": [person()], sheet: [row]}
    message = only_error(analyse(sheets(**rows), by=coordinator), sheet, column)
    assert message.startswith("Code inconnu") and "codes possibles" in message


def test_codes_may_be_given_as_their_french_label(coordinator):
    plan = analyse(sheets(personnes=[person(canal_reperage="Venue spontanée")],
                          contacts=[{"ref": "P1", "date": d(10), "type": "appel téléphonique"}]), by=coordinator)  # fmt: skip
    assert plan.errors == []
    assert (plan.people[0].person.channel, plan.people[0].contacts[0].kind) == ("spontane", "appel")


def test_ref_is_required_and_unique_and_children_need_a_known_ref(coordinator):
    plan = analyse(
        sheets(personnes=[person(), person(), person(ref="")], contacts=[{"ref": "X9", "date": d(5), "type": "rdv"}]),
        by=coordinator,
    )
    found = errors_of(plan)
    assert ("personnes", 3, "ref", "La ref « P1 » est déjà sur une autre ligne de la feuille personnes.") in found
    assert ("personnes", 4, "ref", "Cette colonne est obligatoire : la cellule est vide.") in found
    assert ("contacts", 2, "ref", "La ref « X9 » n'est pas dans la feuille personnes.") in found
    assert plan.people == []


def test_one_exit_per_person_and_an_exit_needs_an_entry(coordinator):
    contact = {"ref": "P1", "date": d(200), "type": "rdv"}
    out = {"ref": "P1", "date_sortie": d(100), "situation": "chomage"}
    plan = analyse(sheets(personnes=[person()], contacts=[contact], sorties=[out, out]), by=coordinator)
    assert only_error(plan, "sorties", "ref").startswith("Une seule sortie par personne")
    plan = analyse(sheets(personnes=[person()], sorties=[out]), by=coordinator)
    assert "Une sortie suppose une entrée dans le parcours" in only_error(plan, "sorties", "date_sortie")


def test_a_dated_contract_needs_its_end(coordinator):
    plan = analyse(sheets(personnes=[person()], contacts=[{"ref": "P1", "date": d(200), "type": "rdv"}],
                          sorties=[{"ref": "P1", "date_sortie": d(100), "situation": "cdd"}]), by=coordinator)  # fmt: skip
    assert only_error(plan, "sorties", "fin_contrat") == (
        "Pour un CDD ou une mission d'intérim, indiquez la fin prévue du contrat."
    )


def test_hand_off_rules(coordinator, partner):
    base = {"ref": "P1", "structure_destinataire": "Mission Locale fictive", "date_envoi": d(280)}
    cases = [
        ({"date_refus": d(270)}, "motif_refus", "Le motif du refus est obligatoire"),
        ({"date_accuse": d(279), "date_expiration": d(200)}, "date_expiration", "Seule une orientation restée sans"),
        ({"date_accuse": d(281)}, "date_accuse", "précède l'envoi"),
        ({"structure_destinataire": "Relais emploi Montreynaud"}, "structure_destinataire", "sa propre structure"),
        ({"structure_destinataire": "Nulle part"}, "structure_destinataire", "Structure inconnue"),
    ]
    for extra, column, start in cases:
        plan = analyse(sheets(personnes=[person()], orientations=[{**base, **extra}]), by=coordinator)
        assert start in only_error(plan, "orientations", column)
    plan = analyse(sheets(personnes=[person()], orientations=[base, {**base, "date_envoi": d(270)}]), by=coordinator)
    assert errors_of(plan)[0][1:3] == (3, "structure_destinataire")  # two live hand-offs to the same structure


def test_mobilisation_rules(coordinator, partner):
    base = {"ref": "P1", "dispositif": "cej", "structure": "Mission Locale fictive", "date_proposition": d(250)}
    contact = {"ref": "P1", "date": d(290), "type": "rdv"}
    out = {"ref": "P1", "date_sortie": d(100), "situation": "chomage"}
    cases = [
        ({"issue": "sortie", "date_fin": d(200)}, "issue", "suppose une entrée", []),
        ({"date_fin": d(200)}, "issue", "Une date de fin suppose une issue", []),
        ({"issue": "abandon"}, "date_fin", "Une issue suppose une date de fin", []),
        ({"structure": "Relais emploi Montreynaud"}, "structure", "ne porte pas le dispositif", []),
        ({}, "issue", "La personne est sortie du parcours", [out]),
        ({"date_proposition": d(50)}, "date_proposition", "suit la sortie du parcours", [out]),
    ]
    for extra, column, start, exits in cases:
        plan = analyse(
            sheets(personnes=[person()], contacts=[contact], mobilisations=[{**base, **extra}], sorties=exits),
            by=coordinator,
        )
        assert start in only_error(plan, "mobilisations", column), extra


def test_frein_rules(coordinator):
    base = {"ref": "P1", "theme": "mobilite", "date_identification": d(200)}
    plan = analyse(sheets(personnes=[person()], freins=[{**base, "date_levee": d(210)}]), by=coordinator)
    assert "précède l'identification du frein" in only_error(plan, "freins", "date_levee")
    plan = analyse(sheets(personnes=[person()], freins=[{**base, "non_levable": "oui"}]), by=coordinator)
    assert "jugé non levable" in only_error(plan, "freins", "date_levee")


def test_cells_are_typed_with_the_intake_parsers(coordinator):
    plan = analyse(
        sheets(personnes=[person(date_naissance="31/02/1990", email="pas-un-courriel", lon="4.39", sexe="X")]),
        by=coordinator,
    )
    columns = {e.column for e in plan.errors}
    assert columns == {"date_naissance", "email", "lat", "sexe"}


def test_structure_by_name_or_siret_and_ambiguous_names(coordinator, world):
    from tests.factories.accounts import StructureFactory

    StructureFactory(name="Relais emploi Montreynaud", siret="98765432100019")
    plan = analyse(sheets(personnes=[person()]), by=coordinator)
    assert "Plusieurs structures" in only_error(plan, "personnes", "structure_referente")
    plan = analyse(sheets(personnes=[person(structure_referente="98765432100019")]), by=coordinator)
    assert plan.errors == [] and plan.people[0].person.structure.siret == "98765432100019"


def test_workbook_shape_errors(coordinator, world):
    bad = {
        "personnes": make_table(["ref", "nom", "prénom"], []),
        "brouillon": make_table(["a"], []),
        "notice": make_table(["feuille"], [["x"]]),
    }
    found = errors_of(analyse(bad, by=coordinator))
    assert ("brouillon", 1, "", "Feuille inconnue : « brouillon » (feuilles attendues : personnes, contacts, "
            "orientations, mobilisations, freins, sorties).") in found  # fmt: skip
    assert ("personnes", 1, "prenom", "Colonne manquante : « prenom ».") in found
    assert any(e[2] == "prénom" and e[3].startswith("Colonne inconnue") for e in found)
    found = errors_of(analyse({"contacts": make_table(["ref"], [])}, by=coordinator))
    assert ("personnes", 1, "", "La feuille « personnes » est absente du classeur.") in found


def test_only_the_coordination_takes_the_history_over(world):
    for user in (None, world.users["referent"]):
        plan = analyse(sheets(personnes=[person()]), by=user)
        assert [e.message for e in plan.errors] == [
            "La reprise de l'historique se fait au nom d'un compte de la coordination."
        ]
