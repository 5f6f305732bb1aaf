"""Bad input: unbounded free text, invisible characters in names, searches of a thousand words (issue 9 §17)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from citemploi.core.validators import SEARCH_MAX_WORDS, TEXT_MAX_LENGTH, search_words, validate_name
from citemploi.pathways.models import Contact, Person
from citemploi.www.pathways.forms import ContactForm
from tests.factories.pathways import make_person

NAMES_REFUSED = ["Dupont\u202egnirts", "Du\u200bpont", "Dupont\x07", "Du\u2066pont", "Du\ufeffpont", "A\u200db"]


@pytest.mark.parametrize("name", NAMES_REFUSED)
def test_names_refuse_control_bidi_and_zero_width_characters(name):
    with pytest.raises(ValidationError, match="caractère invisible ou de contrôle"):
        validate_name(name)


@pytest.mark.parametrize("name", ["Éloïse", "N'Diaye-Müller", "de La Fontaine", "Łukasz", "Nguyễn", "محمد"])
def test_real_names_are_accepted(name):
    validate_name(name)


def test_search_is_bounded():
    assert search_words("mot " * 1000) == ["mot"] * SEARCH_MAX_WORDS
    assert len("".join(search_words("x" * 5000))) == 100


@pytest.fixture
def token_client(world):
    token = Token.objects.create(user=world.users["referent"])
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.mark.django_db
def test_api_refuses_a_huge_note_and_a_bidi_name(world, token_client):
    person = make_person(by=world.users["referent"])
    body = {"person": str(person.public_id), "kind": "rdv", "happened_at": "2026-01-05T10:00:00Z"}
    answer = token_client.post("/api/v1/contacts/", {**body, "note": "x" * 2_000_000}, content_type="application/json")
    assert answer.status_code == 413 and "trop volumineux" in answer.json()["detail"]  # refused before reading
    answer = token_client.post(
        "/api/v1/contacts/", {**body, "note": "x" * (TEXT_MAX_LENGTH + 1)}, content_type="application/json"
    )
    assert answer.status_code == 400 and "note" in answer.json()
    assert not Contact.objects.exists()
    ok = token_client.post(
        "/api/v1/contacts/", {**body, "note": "x" * TEXT_MAX_LENGTH}, content_type="application/json"
    )
    assert ok.status_code == 201, ok.content
    answer = token_client.patch(
        f"/api/v1/persons/{person.public_id}/", {"last_name": "Dupont\u202e"}, content_type="application/json"
    )
    assert answer.status_code == 400 and "caractère invisible" in answer.json()["last_name"][0]
    assert Person.objects.get(pk=person.pk).last_name != "Dupont\u202e"


def test_web_form_refuses_a_megabyte_note():
    form = ContactForm(data={"kind": "rdv", "happened_at": "2026-01-05T10:00", "note": "x" * 1_000_000})
    assert not form.is_valid() and "note" in form.errors
    assert "5000" in form.errors["note"][0].replace("\u202f", "").replace(" ", "")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["pathways:cohort", "partners:directory"])
def test_a_thousand_word_search_answers(world, clients, url):
    make_person(by=world.users["referent"], first_name="Éloïse", last_name="Dupré")
    response = clients["coordinator"].get(reverse(url), {"q": " ".join(["dupre"] * 1000)})
    assert response.status_code == 200
