"""The duplicate check never tells who is followed elsewhere (issue 9 item 6): only the records the user may open
are shown; the others become a review item for the coordinator; the lookup is logged and throttled."""

import datetime as dt
import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from citemploi.core.models import AccessLog
from citemploi.pathways.models import DuplicateReview, Person
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db
URL = reverse("pathways:person_new")
FORM = {
    "first_name": "Éloïse",
    "last_name": "Dupré",
    "birth_date": "1999-05-04",
    "rsa": "non",
    "channel": "permanence",
    "spotted_on": "2026-01-05",
}


@pytest.fixture
def elsewhere(world):
    """The same person, followed by another relais (the referent may not open it)."""
    return make_person(
        by=world.users["outsider"],
        first_name="Eloïse",
        last_name="Duprée",
        birth_date=dt.date(1999, 5, 4),
        phone="0612345678",
        email="eloise@exemple.test",
    )


@pytest.mark.parametrize(
    "typed",
    [
        {},  # name and birth date
        {"first_name": "Autre", "last_name": "Nom", "birth_date": "", "phone": "0612345678"},
        {"first_name": "Autre", "last_name": "Nom", "birth_date": "", "email": "ELOISE@exemple.test"},
    ],
)
def test_a_record_followed_elsewhere_is_never_revealed(world, clients, elsewhere, typed):
    response = clients["referent"].post(URL, {**FORM, **typed})
    body = response.content.decode()
    # The form goes through as if nothing matched: no count, no structure, no name.
    assert response.status_code == 302
    assert "semblable suivie par une autre structure" not in body and "Terrenoire" not in body
    created = Person.objects.exclude(pk=elsewhere.pk).get()
    review = DuplicateReview.objects.get()
    assert (review.person, review.candidate, review.requested_by) == (created, elsewhere, world.users["referent"])
    assert review.structure == world.relais and review.resolved_at is None


def test_the_form_says_once_for_all_that_the_coordination_checks(world, clients):
    page = clients["referent"].get(URL).content.decode()
    assert "sera invitée à vérifier qu" in page


def test_records_the_user_may_open_are_shown_with_details(world, clients):
    mine = make_person(
        by=world.users["colleague"], first_name="Eloise", last_name="DUPRE", birth_date=dt.date(1999, 5, 4)
    )
    response = clients["referent"].post(URL, FORM)
    assert response.status_code == 200 and response.context["similar"] == [mine]
    assert not DuplicateReview.objects.exists()


def test_the_lookup_is_logged_without_the_typed_identity(world, clients, elsewhere, caplog):
    with caplog.at_level(logging.INFO, logger="citemploi.pathways.duplicates"):
        clients["referent"].post(URL, {**FORM, "confirm": "on"})
    line = next(r.getMessage() for r in caplog.records if r.name == "citemploi.pathways.duplicates")
    assert "contrôle de doublon" in line and "Dupr" not in line and "1999" not in line
    log = AccessLog.objects.get(record_id=str(elsewhere.public_id))
    assert log.user == world.users["referent"] and "doublon" in log.reason


@override_settings(THROTTLE_RATES={"duplicate_check_user": "3/h", "duplicate_check_ip": "100/h"})
def test_the_lookup_is_throttled_per_user(world, clients):
    for index in range(3):
        clients["referent"].post(URL, {**FORM, "first_name": f"Essai{index}", "birth_date": ""})
    refused = clients["referent"].post(URL, FORM)
    assert refused.status_code == 429 and "Trop de demandes" in refused.content.decode()
    assert clients["colleague"].post(URL, {**FORM, "first_name": "Autre"}).status_code == 302


@override_settings(THROTTLE_RATES={"duplicate_check_user": "100/h", "duplicate_check_ip": "2/h"})
def test_the_lookup_is_throttled_per_ip(world, clients):
    assert clients["referent"].post(URL, {**FORM, "first_name": "Un"}).status_code == 302
    assert clients["colleague"].post(URL, {**FORM, "first_name": "Deux"}).status_code == 302
    assert clients["outsider"].post(URL, {**FORM, "first_name": "Trois"}).status_code == 429


def test_the_coordinator_lists_and_resolves_reviews(world, clients, elsewhere, max_queries):
    clients["referent"].post(URL, FORM)
    review = DuplicateReview.objects.get()
    page = clients["coordinator"].get(reverse("pathways:duplicate_reviews"))
    body = page.content.decode()
    assert str(review.person.public_id) in body and str(elsewhere.public_id) in body
    # The referent sees the queue (issue 12) but never a pair whose other record it may not open.
    assert (
        str(elsewhere.public_id) not in clients["referent"].get(reverse("pathways:duplicate_reviews")).content.decode()
    )
    with max_queries(1000) as one:
        clients["coordinator"].get(reverse("pathways:duplicate_reviews"))
    queries = len(one.captured_queries)  # read now: each request resets Django's query log
    for index in range(4):
        clients["referent"].post(URL, {**FORM, "first_name": f"Éloïse{index}", "confirm": "on"})
    assert DuplicateReview.objects.count() == 5
    with max_queries(queries):
        clients["coordinator"].get(reverse("pathways:duplicate_reviews"))
    clients["coordinator"].post(reverse("pathways:duplicate_review_resolve", args=[review.pk]))
    review.refresh_from_db()
    assert review.resolved_by == world.users["coordinator"]
    after = clients["coordinator"].get(reverse("pathways:duplicate_reviews"))
    assert len(after.context["reviews"]) == 4
    assert str(review.person.public_id) not in after.content.decode()
