"""Record linkage without NIR (issue 12 §5): each kind of noise, households and twins, thresholds, the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.test import override_settings

from citemploi.intake.linkage import (
    Candidate,
    Decision,
    LinkRecord,
    Thresholds,
    decide,
    dedupe,
    link,
    person_to_record,
    resolve_thresholds,
)
from citemploi.intake.linkage import compare as c
from citemploi.intake.linkage.compare import compare, prepare
from citemploi.intake.linkage.model import DEFAULT_MU, score
from citemploi.pathways.models import Person

UPPER, LOWER = 0.97, 0.3
MARIE = LinkRecord(
    id="e1",
    last_name="Dupont",
    first_name="Marie",
    birth_date=date(1985, 3, 12),
    sex="F",
    email="marie.dupont@example.org",
    phone="06 12 34 56 78",
    address="3 boulevard Victor Hugo",
    postcode="75013",
    commune="Paris",
)


def pair(a: LinkRecord, b: LinkRecord) -> tuple[c.Comparison, float]:
    comparison = compare(prepare(a), prepare(b))
    return comparison, score(comparison, upper=UPPER)


def same(**changes) -> float:
    return pair(MARIE, replace(MARIE, id="n1", **changes))[1]


# -- each kind of noise is still the same person -------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"last_name": "DUPONT", "first_name": "MARIE"},  # case
        {"first_name": "Marié", "address": "3 BD VICTOR-HUGO"},  # accents, abbreviations
        {"last_name": "Dupnot"},  # typo (two letters swapped)
        {"first_name": "Maire"},  # typo
        {"last_name": "Marie", "first_name": "Dupont"},  # first and last names swapped
        {"last_name": "Dupont épouse Martin", "email": "", "phone": ""},  # married name with « épouse »
        {"last_name": "Martin née Dupont"},
        {"last_name": "Martin", "email": "", "address": ""},  # married name only: same phone, both women
        {"last_name": "Dupont-Martin", "phone": "", "email": ""},  # a double name given in full
        {"first_name": "Marie-Claire", "email": ""},  # a compound first name given in part
        {"birth_date": date(1985, 3, 13)},  # one digit wrong
        {"birth_date": date(1985, 12, 3)},  # day and month swapped
        {"birth_date": date(1958, 3, 12)},  # two adjacent digits swapped
        {"birth_date": None, "sex": ""},  # missing fields
        {"email": "", "phone": "", "address": "", "postcode": "", "commune": ""},
        {"phone": "+33 6 12 34 56 78", "email": "MARIE.DUPONT@example.org"},  # formats
        {"address": "18 rue de la Paix", "postcode": "75002"},  # moved
    ],
)
def test_noisy_copies_are_the_same_person(changes):
    assert decide(same(**changes), thresholds=(UPPER, LOWER)) is Decision.SAME, changes


def test_levels_of_each_noise():
    assert pair(MARIE, replace(MARIE, last_name="Marie", first_name="Dupont"))[0].swapped
    assert pair(MARIE, replace(MARIE, birth_date=date(1985, 3, 13)))[0].date == c.TYPO
    assert pair(MARIE, replace(MARIE, birth_date=date(1985, 12, 3)))[0].date == c.DAYMONTH
    assert pair(MARIE, replace(MARIE, birth_date=date(1990, 7, 1)))[0].date == c.DIFFERENT
    assert pair(MARIE, replace(MARIE, last_name="Dupont-Martin"))[0].last == c.PARTIAL
    assert pair(MARIE, replace(MARIE, last_name="Dupond"))[0].last == c.HIGH
    assert pair(MARIE, replace(MARIE, email="marie.dupond@example.org"))[0].email == c.CLOSE
    assert pair(MARIE, replace(MARIE, address="3 bd Victor Hugo"))[0].address == c.EXACT
    assert pair(MARIE, replace(MARIE, address="5 rue Pasteur"))[0].address == c.ZONE
    assert pair(MARIE, replace(MARIE, email=""))[0].email == c.MISSING


def test_weights_are_probabilities():
    for field, levels in DEFAULT_MU.items():
        assert sum(m for m, _ in levels.values()) == pytest.approx(1.0), field
        assert sum(u for _, u in levels.values()) == pytest.approx(1.0), field
        assert all(m / u > 1 for level, (m, u) in levels.items() if level == c.EXACT), field


# -- households: never merged ------------------------------------------------------------------------------


def test_twins_are_different_people():
    """Same birth date, same address, same phone, same last name, another first name."""
    assert same(first_name="Léa", email="") == 0.0
    assert same(first_name="Louis", sex="M", email="") == 0.0  # close first names, different sexes


def test_twins_with_close_first_names_go_to_review_at_most():
    value = same(first_name="Lina", email="")  # « Marie » / « Lina »: different
    assert value == 0.0
    close = pair(replace(MARIE, first_name="Léna"), replace(MARIE, id="n1", first_name="Lina", email=""))[1]
    assert decide(close, thresholds=(UPPER, LOWER)) is not Decision.SAME


@pytest.mark.parametrize(
    "member",
    [
        {"first_name": "Paul", "sex": "M", "birth_date": date(1983, 6, 1), "email": ""},  # partner, same name
        {"first_name": "Hugo", "sex": "M", "birth_date": date(2010, 1, 5), "email": ""},  # child
        {"first_name": "Marie", "birth_date": date(2011, 9, 30), "email": ""},  # daughter of the same name
        {"first_name": "", "birth_date": None, "email": ""},  # unknown first name and birth date
    ],
)
def test_family_members_at_the_same_address_are_not_merged(member):
    assert decide(same(**member), thresholds=(UPPER, LOWER)) is not Decision.SAME


def test_namesakes_elsewhere_are_new_people():
    other = LinkRecord(id="n1", last_name="Dupont", first_name="Marie", birth_date=date(1962, 11, 2), sex="F")
    assert decide(pair(MARIE, other)[1], thresholds=(UPPER, LOWER)) is Decision.NEW


def test_men_with_another_last_name_are_reviewed_not_linked():
    a = replace(MARIE, sex="M", first_name="Marc")
    b = replace(a, id="n1", last_name="Guillaume")
    assert decide(pair(a, b)[1], thresholds=(UPPER, LOWER)) is Decision.REVIEW


# -- thresholds and API ----------------------------------------------------------------------------------------


def test_decide_uses_both_thresholds():
    assert decide(0.99, thresholds=(0.97, 0.3)) is Decision.SAME
    assert decide(0.97, thresholds=(0.97, 0.3)) is Decision.SAME
    assert decide(0.5, thresholds=(0.97, 0.3)) is Decision.REVIEW
    assert decide(0.3, thresholds=Thresholds(0.97, 0.3)) is Decision.REVIEW
    assert decide(0.29, thresholds=(0.97, 0.3)) is Decision.NEW


@override_settings(INTAKE_LINK_UPPER=0.6, INTAKE_LINK_LOWER=0.5)
def test_thresholds_come_from_the_settings():
    assert resolve_thresholds() == Thresholds(0.6, 0.5)
    assert decide(0.55) is Decision.REVIEW
    assert decide(0.65) is Decision.SAME
    assert decide(0.45) is Decision.NEW


def test_link_returns_candidates_best_first_with_french_reasons():
    existing = [
        MARIE,
        replace(MARIE, id="e2", first_name="Léa"),  # her twin
        LinkRecord(id="e3", last_name="Martin", first_name="Paul", birth_date=date(1970, 1, 1)),
        replace(MARIE, id="e4", birth_date=date(1985, 3, 13), email="", phone="", address=""),
    ]
    new = [
        replace(MARIE, id="n1", last_name="Marie", first_name="Dupond", email=""),
        LinkRecord(id="n2", last_name="Nouvel", first_name="Arrivant", birth_date=date(2001, 5, 5)),
    ]
    result = link(new, existing, thresholds=(UPPER, LOWER))
    assert set(result) == {"n1", "n2"}
    assert result["n2"] == []
    ids = [candidate.id for candidate in result["n1"]]
    assert ids[0] == "e1" and "e2" not in ids and "e3" not in ids
    best = result["n1"][0]
    assert isinstance(best, Candidate) and best.score >= UPPER
    assert "prénom et nom inversés" in best.reasons
    assert "même date de naissance" in best.reasons
    assert any(reason.startswith("prénom proche (0,") for reason in best.reasons)
    assert [cand.score for cand in result["n1"]] == sorted((cand.score for cand in result["n1"]), reverse=True)
    assert all(cand.score >= LOWER for cand in result["n1"])


def test_reasons_name_the_usage_name():
    married = replace(MARIE, id="n1", last_name="Martin née Dupont", email="")
    found = link([married], [MARIE], thresholds=(UPPER, LOWER))["n1"]
    assert found[0].reasons[0] == "nom de naissance ou d'usage en commun"
    same_birth_name = replace(MARIE, id="n2", last_name="Dupont épouse Martin")
    assert link([same_birth_name], [MARIE], thresholds=(UPPER, LOWER))["n2"][0].reasons[0] == "même nom"


def test_dedupe_clusters_and_review_pairs():
    records = [
        MARIE,
        replace(MARIE, id="e2", last_name="DUPONT épouse MARTIN"),
        replace(MARIE, id="e3", first_name="Léa"),  # twin: her own cluster
        replace(MARIE, id="e4", first_name="", email="", birth_date=None),  # ambiguous: review
    ]
    clusters, review = dedupe(records, thresholds=(UPPER, LOWER))
    assert clusters == {"e1": "e1", "e2": "e1", "e3": "e3", "e4": "e4"}
    assert review["e4"] == ["e1", "e2", "e3"]  # her first name is unknown: any of the twins
    assert review["e1"] == ["e4"] and review["e3"] == ["e4"]


def test_dedupe_of_nothing_and_of_empty_records():
    assert dedupe([]) == ({}, {})
    clusters, review = dedupe([LinkRecord(id="a"), LinkRecord(id="b")])
    assert clusters == {"a": "a", "b": "b"} and review == {"a": [], "b": []}


def test_person_to_record_reads_the_fields():
    person = Person(
        pk=42,
        last_name="Dupont",
        first_name="Marie",
        birth_date=date(1985, 3, 12),
        sex="F",
        email="m@example.org",
        phone="0612345678",
        address="3 rue X",
        postcode="75013",
        city="Paris",
    )
    assert person_to_record(person) == LinkRecord(
        id="42",
        last_name="Dupont",
        first_name="Marie",
        birth_date=date(1985, 3, 12),
        sex="F",
        email="m@example.org",
        phone="0612345678",
        address="3 rue X",
        postcode="75013",
        commune="Paris",
    )
