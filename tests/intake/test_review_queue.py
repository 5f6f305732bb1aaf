"""The review queue of linkage pairs (issue 12 §5): the existing « Doublons possibles à vérifier », now with the
pairs of imports, both records side by side with the score and the reasons; « même personne » is the atomic merge,
« personnes différentes » is remembered; a caseworker only sees pairs whose two records they may both open."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from citemploi.pathways.models import DuplicateReview, MergedRecord, Person
from tests.factories.pathways import make_person


def _pair(world, by_candidate="outsider"):
    person = make_person(by=world.users["referent"], first_name="Inès", last_name="Fictive",
                         birth_date=dt.date(1990, 5, 4))  # fmt: skip
    candidate = make_person(by=world.users[by_candidate], first_name="Ines", last_name="Fictive",
                            birth_date=dt.date(1990, 4, 5))  # fmt: skip
    return DuplicateReview.objects.create(
        requested_by=world.users["referent"], structure=world.relais, person=person, candidate=candidate,
        score=0.62, reasons=["même nom", "date de naissance : jour et mois inversés"], origin="import « liste.csv »",
    )  # fmt: skip


def test_coordinator_sees_both_records_with_reasons_and_merges(world, clients):
    review = _pair(world)
    page = clients["coordinator"].get(reverse("pathways:duplicate_reviews")).content.decode()
    assert "jour et mois inversés" in page and "Ines FICTIVE" in page and "Inès FICTIVE" in page
    clients["coordinator"].post(reverse("pathways:duplicate_review_merge", args=[review.pk]))
    assert Person.objects.count() == 1 and MergedRecord.objects.filter(absorbed_id=review.person.public_id).exists()


def test_a_caseworker_never_sees_a_pair_with_a_record_of_another_structure(world, clients):
    review = _pair(world)
    page = clients["referent"].get(reverse("pathways:duplicate_reviews")).content.decode()
    assert "Ines FICTIVE" not in page and "Inès FICTIVE" not in page
    assert clients["referent"].post(reverse("pathways:duplicate_review_resolve", args=[review.pk])).status_code == 404


def test_the_referent_structure_decides_different_people_within_its_sight(world, clients):
    review = _pair(world, by_candidate="colleague")
    page = clients["referent"].get(reverse("pathways:duplicate_reviews")).content.decode()
    assert "Ines FICTIVE" in page and "Même personne : fusionner" in page  # both followed by its structure
    clients["referent"].post(reverse("pathways:duplicate_review_resolve", args=[review.pk]))
    assert DuplicateReview.objects.get(pk=review.pk).resolved_at is not None
    assert clients["referent"].post(reverse("pathways:duplicate_review_merge", args=[review.pk])).status_code == 404
