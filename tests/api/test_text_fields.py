"""A text field of the API given a number is refused with a 400, as the schema says (DRF alone would store
``0.01`` as ``"0.01"``), and nothing is written."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from citemploi.pathways.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("field", "value"), [("place", 0.01), ("first_name", 12), ("ft_id", True)])
def test_a_number_for_a_text_is_refused(world, field, value):
    client = APIClient()
    client.force_authenticate(world.users["referent"])
    body = {"first_name": "Aline", "last_name": "Fictive", "channel": "permanence",
            "spotted_on": dt.date.today().isoformat(), field: value}  # fmt: skip
    before = Person.objects.count()
    response = client.post("/api/v1/persons/", body, format="json")
    assert response.status_code == 400, response.content
    assert "texte" in response.content.decode()
    assert Person.objects.count() == before


def test_text_is_still_accepted(world):
    client = APIClient()
    client.force_authenticate(world.users["referent"])
    body = {"first_name": "Aline", "last_name": "Fictive", "channel": "permanence",
            "spotted_on": dt.date.today().isoformat(), "place": "Marché de Montreynaud"}  # fmt: skip
    assert client.post("/api/v1/persons/", body, format="json").status_code == 201
