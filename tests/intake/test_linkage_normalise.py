"""Normalisation and the French phonetic key of the linkage (issue 12 §5)."""

from __future__ import annotations

from datetime import date

import pytest

from citemploi.core.collation import sort_key
from citemploi.intake.linkage.normalise import (
    address_key,
    date_digits,
    email_key,
    first_name_form,
    fold,
    name_form,
    phone_key,
)
from citemploi.intake.linkage.phonetic import phonetic_key


@pytest.mark.parametrize(
    "raw",
    ["L'Hôpital-Étienne", "Œuvre Æsop Straße", "Zoë  N’Guyen", "ÇA va", "İstanbul", "Ångström", "  ", "D'ARC"],
)
def test_fold_is_the_french_sort_key(raw):
    assert fold(raw) == sort_key(raw)


def test_fold_case_accents_hyphens_apostrophes():
    assert fold("  JÉRÔME-Éloïse d’Arc ") == "jerome eloise d arc"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Le Goff", "LEGOFF"),
        ("Le-Goff", "le goff"),
        ("N'Diaye", "NDIAYE"),
        ("D'Angelo", "Dangelo"),
        ("de la Fontaine", "Fontaine"),
        ("Ben Ali", "BENALI"),
        ("El Amrani", "Amrani"),
        ("Lefèvre", "LEFEVRE"),
    ],
)
def test_particles_and_punctuation_give_a_common_variant(a, b):
    assert name_form(a).full & name_form(b).full


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("DUPONT épouse MARTIN", {"dupont", "martin"}),
        ("Dupont ép. Martin", {"dupont", "martin"}),
        ("Martin née Dupont", {"dupont", "martin"}),
        ("Dupont veuve Martin", {"dupont", "martin"}),
        ("Durand dite Leroy", {"durand", "leroy"}),
    ],
)
def test_married_and_maiden_names_are_both_kept(raw, names):
    form = name_form(raw)
    assert names <= form.full
    assert form.main == sorted(names, key=raw.lower().index)[0]  # the first written name is the main one


def test_compound_and_double_names_keep_their_parts():
    form = name_form("Martin-Dupont")
    assert form.full == {"martindupont"}
    assert form.tokens == {"martin", "dupont"}
    assert not form.simple
    assert first_name_form("Jean Pierre").tokens == {"jean", "pierre"}


def test_markers_are_words_of_last_names_only():
    assert first_name_form("Dite").main == "dite"  # a marker is a word of a first name
    assert name_form("Née").main == "nee"  # a marker alone is the name itself
    assert name_form("épouse Martin").full == {"martin"}


def test_simple_names():
    assert name_form("Martin").simple
    assert not name_form("Le Goff").simple
    assert not name_form("").main and not name_form("")


def test_other_keys():
    assert date_digits(date(1985, 3, 2)) == "19850302"
    assert date_digits(None) == ""
    assert email_key("  Marie.Dupont@Example.ORG ") == "marie.dupont@example.org"
    assert phone_key("+33 6 12 34 56 78") == phone_key("06.12.34.56.78") == "612345678"
    assert phone_key("12 34") == ""
    assert address_key("3, bd Victor-Hugo") == address_key("3 Boulevard Victor Hugo") == "3 boulevard victor hugo"
    assert address_key("12 av. de la République") == "12 avenue de la republique"


@pytest.mark.parametrize(
    "spellings",
    [
        ("Dupont", "Dupond", "DUPON", "du Pont"),
        ("Philippe", "Filipe", "Phillipe"),
        ("Catherine", "Katherine"),
        ("Thomas", "Tomas"),
        ("Lefebvre", "Lefèvre", "LEFEVRE"),
        ("Thibault", "Thibaut", "Tibo"),
        ("Laurent", "Lorent", "Laurant"),
        ("Moreau", "Moreaux", "Morot"),
        ("Mathieu", "Matthieu"),
        ("Rousseau", "Rousso"),
        ("Leroy", "Le Roi", "Leroi"),
        ("Guillaume", "Guilaume"),
        ("Bertrand", "Bertran"),
        ("Grégoire", "Gregoire"),
    ],
)
def test_phonetic_key_groups_french_spellings(spellings):
    keys = {phonetic_key(s) for s in spellings}
    assert len(keys) == 1, keys
    assert keys != {""}


@pytest.mark.parametrize(("a", "b"), [("Martin", "Bernard"), ("Marie", "Marion"), ("Jean", "Jeanne"), ("Léa", "Hugo")])
def test_phonetic_key_separates_different_names(a, b):
    assert phonetic_key(a) != phonetic_key(b)


def test_phonetic_key_soft_and_hard_consonants():
    assert phonetic_key("Cécile") == phonetic_key("Sécile")
    assert phonetic_key("Guy")[0] == "g"  # « gu » before a vowel stays hard
    assert phonetic_key("Gilles")[0] == "j"
    assert phonetic_key("Agnès") == phonetic_key("Anies")
    assert phonetic_key("") == ""
    assert len(phonetic_key("Constantinopolitain")) <= 8
