"""Issue 12 §5: « the coordinator, or the referent structure within its sight » decides a pair of the review queue.
A member of the structure that follows BOTH records merges them (the existing atomic merge); a record of another
structure is never merged by it — 404 when it cannot open it, 403 when it sees it through a hand-off; the rule is
``pathways.permissions.can_merge_records``, checked by ``person_merge`` itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from citemploi.core.errors import NotFound, PermissionDenied
from citemploi.pathways import services
from citemploi.pathways.models import DuplicateReview, MergedRecord, Person
from citemploi.pathways.permissions import can_merge_records
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


def _twins(world, *, other="colleague"):
    """Two records of (maybe) the same person: one by the referent, one by ``other``."""
    a = make_person(by=world.users["referent"], first_name="Inès", last_name="Fictive", birth_date=dt.date(1990, 5, 4))
    b = make_person(by=world.users[other], first_name="Ines", last_name="Fictive", birth_date=dt.date(1990, 4, 5))
    return a, b


def _review(world, person, candidate):
    return DuplicateReview.objects.create(
        requested_by=world.users["referent"], structure=world.relais, person=person, candidate=candidate,
        score=0.62, reasons=["même nom"], origin="import « liste.csv »",
    )  # fmt: skip


def _state():
    return Person.objects.count(), MergedRecord.objects.count()


def test_a_member_of_the_structure_following_both_records_merges_them(world):
    keep, absorb = _twins(world)
    assert can_merge_records(world.users["colleague"], keep, absorb)
    kept = services.person_merge(by=world.users["colleague"], keep=keep, absorb=absorb)
    assert kept.pk == keep.pk and not Person.objects.filter(pk=absorb.pk).exists()
    assert MergedRecord.objects.filter(absorbed_id=absorb.public_id, into=keep).exists()


def test_an_outsider_gets_not_found_and_nothing_changes(world):
    keep, absorb = _twins(world)
    before = _state()
    assert not can_merge_records(world.users["outsider"], keep, absorb)
    with pytest.raises(NotFound):
        services.person_merge(by=world.users["outsider"], keep=keep, absorb=absorb)
    assert _state() == before


def test_a_record_of_another_structure_is_never_merged(world):
    mine, theirs = _twins(world, other="outsider")
    before = _state()
    # Not visible at all: answers like a missing record, whichever side it is on.
    for keep, absorb in ((mine, theirs), (theirs, mine)):
        with pytest.raises(NotFound):
            services.person_merge(by=world.users["referent"], keep=keep, absorb=absorb)
    # Seen through a live hand-off to the referent's relais: seen, still another structure's record.
    services.handoff_send(by=world.users["outsider"], person=theirs, to_structure=world.relais, reason="Fictif",
                          shared=["contact"])  # fmt: skip
    theirs = Person.objects.get(pk=theirs.pk)
    assert Person.objects.visible_to(world.users["referent"]).filter(pk=theirs.pk).exists()
    assert not can_merge_records(world.users["referent"], mine, theirs)
    for keep, absorb in ((mine, theirs), (theirs, mine)):
        with pytest.raises(PermissionDenied):
            services.person_merge(by=world.users["referent"], keep=keep, absorb=absorb)
    assert _state() == before


def test_roles_without_casework_never_merge(world):
    keep, absorb = _twins(world)
    for persona in ("state_copilot", "steering_member", "admin"):
        with pytest.raises(PermissionDenied):
            services.person_merge(by=world.users[persona], keep=keep, absorb=absorb)
    assert services.person_merge(by=world.users["coordinator"], keep=keep, absorb=absorb).pk == keep.pk


def test_the_review_screen_offers_the_merge_to_the_structure_following_both(world, clients):
    review = _review(world, *_twins(world))
    page = clients["referent"].get(reverse("pathways:duplicate_reviews")).content.decode()
    assert "Même personne : fusionner" in page and "Personnes différentes" in page
    response = clients["referent"].post(reverse("pathways:duplicate_review_merge", args=[review.pk]))
    assert response.status_code == 302
    assert Person.objects.count() == 1 and not DuplicateReview.objects.exists()


def test_the_review_screen_never_merges_a_pair_with_another_structures_record(world, clients):
    mine, theirs = _twins(world, other="outsider")
    services.handoff_send(by=world.users["outsider"], person=theirs, to_structure=world.relais, reason="Fictif",
                          shared=["contact"])  # fmt: skip
    review = _review(world, mine, theirs)
    page = clients["referent"].get(reverse("pathways:duplicate_reviews")).content.decode()
    assert "Ines FICTIVE" in page and "Même personne : fusionner" not in page  # seen, decided « différentes » only
    before = _state()
    assert clients["referent"].post(reverse("pathways:duplicate_review_merge", args=[review.pk])).status_code == 403
    assert clients["outsider"].post(reverse("pathways:duplicate_review_merge", args=[review.pk])).status_code == 404
    assert _state() == before
    assert (
        "Même personne : fusionner"
        in clients["coordinator"].get(reverse("pathways:duplicate_reviews")).content.decode()
    )
