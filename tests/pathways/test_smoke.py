import pytest
from django.urls import reverse

from tests.factories.pathways import make_person


@pytest.mark.django_db
def test_person_page_renders(world, clients):
    person = make_person(by=world.users["referent"])
    response = clients["referent"].get(reverse("pathways:person", args=[person.public_id]))
    assert response.status_code == 200, response.content[:2000]
    assert clients["outsider"].get(reverse("pathways:person", args=[person.public_id])).status_code == 404
    assert clients["referent"].get(reverse("pathways:cohort")).status_code == 200
    assert clients["referent"].get(reverse("pathways:alerts")).status_code == 200
