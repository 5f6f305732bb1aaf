"""Header matching of the intake: normalisation, synonyms, each header used once."""

from __future__ import annotations

import pytest

from citemploi.intake.headers import SYNONYMS, normalise_header, propose_mapping


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Nom de naissance", "nom de naissance"),
        ("NOM", "nom"),
        ("nom_usage", "nom usage"),
        ("Prénom", "prenom"),
        ("Tél. portable", "tel portable"),
        ("  E-MAIL  ", "e mail"),
        ("N° de téléphone", "n de telephone"),
        ("Date-de-naissance", "date de naissance"),
        ("Code Postal (CP)", "code postal cp"),
        ("Œuvre", "oeuvre"),
    ],
)
def test_normalise_header(header, expected):
    assert normalise_header(header) == expected


def test_synonyms_of_the_person_fields():
    assert set(SYNONYMS) == {
        "nom", "prenom", "date_naissance", "sexe", "email", "telephone", "adresse", "code_postal", "commune", "insee",
    }  # fmt: skip


def test_i_milo_like_headers_are_all_proposed():
    headers = ["NOM", "Prénom", "DDN", "Sexe", "Courriel", "Tél. portable", "Adresse", "CP", "Ville", "Code INSEE"]
    assert propose_mapping(headers, SYNONYMS) == {
        "nom": "NOM",
        "prenom": "Prénom",
        "date_naissance": "DDN",
        "sexe": "Sexe",
        "email": "Courriel",
        "telephone": "Tél. portable",
        "adresse": "Adresse",
        "code_postal": "CP",
        "commune": "Ville",
        "insee": "Code INSEE",
    }


def test_france_travail_like_headers():
    headers = ["Identifiant", "Nom d'usage", "Nom de naissance", "Prénom", "Date de naissance", "Civilité",
               "Adresse électronique", "Numéro de téléphone", "Code postal", "Commune"]  # fmt: skip
    mapping = propose_mapping(headers, SYNONYMS)
    assert mapping["nom"] == "Nom d'usage"  # the earlier synonym wins, the other header stays free
    assert mapping["sexe"] == "Civilité"
    assert mapping["email"] == "Adresse électronique"
    assert mapping["telephone"] == "Numéro de téléphone"
    assert mapping["insee"] is None
    assert "Nom de naissance" not in mapping.values()


def test_exact_name_beats_a_synonym_and_each_header_is_used_once():
    mapping = propose_mapping(["nom_usage", "nom"], {"nom": ["nom usage"], "nom_usage": []})
    assert mapping == {"nom": "nom", "nom_usage": "nom_usage"}
    mapping = propose_mapping(["Nom"], {"nom": [], "nom_naissance": ["nom"]})
    assert mapping == {"nom": "Nom", "nom_naissance": None}


def test_small_words_and_close_spellings():
    mapping = propose_mapping(["Date naissance", "Telephonne", "Pays"], SYNONYMS)
    assert mapping["date_naissance"] == "Date naissance"
    assert mapping["telephone"] == "Telephonne"  # fuzzy, above the threshold
    assert "Pays" not in mapping.values()


def test_fuzzy_does_not_take_a_short_unrelated_header():
    mapping = propose_mapping(["Nom de la structure", "Prénom usuel"], {"nom": [], "prenom": []})
    assert mapping == {"nom": None, "prenom": None}


def test_history_columns_match_themselves():
    columns = ["ref", "date", "type", "initiative_personne"]
    assert propose_mapping(columns, {c: [] for c in columns}) == {c: c for c in columns}
