"""The cohort list, person page, alerts inbox and API list answer with as many queries for 1,000 people as for 10."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citemploi.pathways import services
from citemploi.pathways.models import Handoff, Pathway, Person
from tests.conftest import login_client
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


def _bulk_people(structure, referent, other, count):
    """``count`` people followed by ``structure``, half of them handed to ``other`` (bulk, for speed)."""
    people = Person.objects.bulk_create(
        [
            Person(first_name=f"P{i}", last_name=f"N{i}", search_name=f"n{i} p{i}", birth_date=dt.date(1990, 1, 1))
            for i in range(count)
        ]
    )
    old = timezone.now() - dt.timedelta(days=400)
    Pathway.objects.bulk_create([Pathway(person=p, structure=structure, referent=None if i % 3 else referent, state="en_parcours",
                                         state_changed_at=old) for i, p in enumerate(people)])  # fmt: skip
    Handoff.objects.bulk_create([Handoff(person=p, from_structure=structure, to_structure=other, reason="x", sent_by=referent, sent_at=old,
                                         shared=["contact"]) for p in people[::2]])  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["referent", "outsider", "coordinator"])
def test_query_counts_do_not_grow_with_the_cohort(world, persona):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now(), note="n")
    services.frein_identify(by=agent, person=person, theme="mobilite")
    services.handoff_send(
        by=agent, person=person, to_structure=world.other_relais, reason="x", shared=["freins", "contact"]
    )
    _bulk_people(world.relais, agent, world.other_relais, 10)
    client = login_client(world.users[persona])
    urls = [reverse("pathways:cohort"), reverse("pathways:person", args=[person.public_id]), reverse("pathways:alerts"),
            reverse("pathways:caseload"), "/api/v1/persons/", "/api/v1/handoffs/", "/api/v1/contacts/", "/api/v1/mobilisations/"]  # fmt: skip
    small = {url: _count(client, url) for url in urls}
    _bulk_people(world.relais, agent, world.other_relais, 990)
    large = {url: _count(client, url) for url in urls}
    assert large == small
    person_page = reverse("pathways:person", args=[person.public_id])
    # The person page counts one more query since its summary band shows the person's open alerts (issue 10.8).
    assert small.pop(person_page) <= 26
    assert max(small.values()) <= 25
