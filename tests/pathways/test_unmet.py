"""« Aucune solution » in the hand-off and scheme proposal forms (issue 15 item 3): the pathways record, its
permission, and retention unlinking the person while the register's aggregate survives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.core.errors import PermissionDenied, ValidationFailed
from citemploi.governance.needs.models import Need
from citemploi.governance.needs.sync import needs_sync
from citemploi.pathways import services
from citemploi.pathways.choices import UnmetSource
from citemploi.pathways.models import Handoff, Mobilisation, Person, UnmetOrientation
from citemploi.pathways.retention import retention_purge
from tests.factories.pathways import make_person
from tests.governance.needs_world import QPV_CODE, resident

pytestmark = pytest.mark.django_db


def test_the_handoff_form_records_no_solution_instead_of_a_handoff(world, clients):
    person = resident(world)
    url = reverse("pathways:handoff_new", args=[person.public_id])
    response = clients["referent"].post(url, {"no_solution": "on", "thematique": "mobilite--preparer-un-permis"})
    assert response.status_code == 302
    assert not Handoff.objects.exists()
    record = UnmetOrientation.objects.get()
    assert (record.source, record.qpv_code, record.person) == (UnmetSource.HANDOFF, QPV_CODE, person)


def test_the_scheme_form_records_no_solution_instead_of_a_proposal(world, clients):
    person = resident(world)
    url = reverse("pathways:mobilisation_new", args=[person.public_id])
    response = clients["referent"].post(url, {"no_solution": "on", "thematique": "numerique"})
    assert response.status_code == 302
    assert not Mobilisation.objects.exists()
    assert UnmetOrientation.objects.get().source == UnmetSource.SCHEME


def test_the_forms_still_require_a_destination_without_no_solution(world, clients):
    person = resident(world)
    response = clients["referent"].post(reverse("pathways:handoff_new", args=[person.public_id]), {})
    assert response.status_code == 400
    response = clients["referent"].post(reverse("pathways:handoff_new", args=[person.public_id]), {"no_solution": "on"})
    assert response.status_code == 400  # the thématique is missing
    assert not UnmetOrientation.objects.exists() and not Handoff.objects.exists()


def test_only_the_referent_structure_records_no_solution(world):
    person = resident(world)
    with pytest.raises(PermissionDenied):
        services.unmet_orientation_record(
            by=world.users["outsider"], person=person, source=UnmetSource.HANDOFF, thematique="numerique"
        )
    with pytest.raises(ValidationFailed):
        services.unmet_orientation_record(
            by=world.users["referent"], person=person, source=UnmetSource.HANDOFF, thematique="cuisine"
        )
    assert not UnmetOrientation.objects.exists()


def test_retention_unlinks_the_person_and_the_register_keeps_its_count(world):
    agent = world.users["referent"]
    person = resident(world)
    services.unmet_orientation_record(by=agent, person=person, source=UnmetSource.HANDOFF, thematique="numerique")
    spotted = make_person(by=agent, last_name="Vieuxrepere")
    services.unmet_orientation_record(by=agent, person=spotted, source=UnmetSource.SCHEME, thematique="numerique")
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(retention_from=now - dt.timedelta(days=800))
    Person.objects.filter(pk=spotted.pk).update(
        created_at=now - dt.timedelta(days=400), retention_from=now - dt.timedelta(days=400)
    )
    retention_purge(now=now)
    assert UnmetOrientation.objects.count() == 2
    assert not UnmetOrientation.objects.filter(person__isnull=False).exists()
    needs_sync()
    assert sum(s.count for n in Need.objects.all() for s in n.signals.all()) == 2


def test_one_synchronisation_is_enqueued_per_transaction(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    from citemploi.pathways.unmet import unmet_recorded

    people = [resident(world) for _ in range(3)]
    sent = []
    unmet_recorded.connect(lambda **kw: sent.append(kw), dispatch_uid="test-count", weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for person in people:
                services.unmet_orientation_record(
                    by=world.users["referent"], person=person, source=UnmetSource.HANDOFF, thematique="numerique"
                )
    finally:
        unmet_recorded.disconnect(dispatch_uid="test-count")
    assert len(sent) == 1
    assert Need.objects.get().signals.get().count == 3
