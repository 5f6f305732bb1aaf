"""The OpenAPI schema documents what the API answers: errors, request bodies, what a blank value does."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from citemploi.core.validators import TEXT_PATTERN

METHODS = {"get", "post", "patch", "put", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert {"401", "403", "404"} <= codes, (method, path, codes)
        if method != "get":
            assert {"400", "409"} <= codes, (method, path, codes)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_the_offer_shows_its_input_serializer_as_the_request(schema):
    post = schema["paths"]["/api/v1/offre/services/"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ServiceIn")
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/ServiceOut")
    patch = schema["paths"]["/api/v1/offre/actions/{public_id}/"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/PatchedActionIn")
    assert set(post["requestBody"]["content"]) == {"application/json"}


def test_blank_refused_text_says_so(schema):
    components = schema["components"]["schemas"]
    assert components["HandoffIn"]["properties"]["reason"]["pattern"] == TEXT_PATTERN  # not blank, no NUL
    blank_allowed = components["RefuseIn"]["properties"]["reason"]["oneOf"]  # a text without NUL, or ""
    assert blank_allowed[0]["pattern"] == "^[^\\x00]*$" and blank_allowed[1]["maxLength"] == 0
    assert "u202e" in components["PersonIn"]["properties"]["last_name"]["pattern"]  # names: no bidi override
    assert components["HandoffIn"]["properties"]["reason"]["maxLength"] == 5000


def test_fields_hidden_by_sight_are_not_required(schema):
    person = schema["components"]["schemas"]["PersonOut"]
    assert set(person["required"]) == {"id", "first_name", "last_name", "state", "structure", "referent", "version"}
    assert "Absent si" in person["properties"]["rqth"]["description"]


def test_page_is_a_positive_integer(schema):
    parameters = schema["paths"]["/api/v1/persons/"]["get"]["parameters"]
    page = next(p for p in parameters if p["name"] == "page")
    assert page["schema"]["minimum"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", " 2", "1.0", "0", "x"])
def test_a_page_that_is_not_a_positive_integer_answers_404_in_json(world, page):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users['referent']).key}")
    response = client.get("/api/v1/persons/", {"page": page})
    assert response.status_code == 404 and response.json()["detail"] == "Page non valide."
    unmatched = client.get("/api/v1/persons/pas-un-uuid/")
    assert unmatched.status_code == 404 and unmatched["Content-Type"] == "application/json"
