"""Races on the person and its hand-offs, on PostgreSQL with real concurrent connections (issue 9, items 9-11, 15).

Each thread has its own database connection (Django's connections are per thread); a barrier starts them together.
The API is called as a client would, through the test client, with the session of a logged-in user.
"""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from citemploi.core.errors import Conflict
from citemploi.pathways import services
from citemploi.pathways.models import Handoff, Person
from citemploi.pathways.services.actions import _locked_handoff
from citemploi.pathways.states import LIVE_HANDOFF_STATES
from tests.concurrency import postgres_only, together  # noqa: F401 (fixture)
from tests.conftest import login_client
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]


def test_two_simultaneous_patches_of_different_fields_lose_nothing(world):
    referent, colleague = world.users["referent"], world.users["colleague"]
    first, second = login_client(referent), login_client(colleague)
    lost, versions = 0, set()
    for trial in range(20):
        person = make_person(by=referent)
        url = f"/api/v1/persons/{person.public_id}/"
        answers = together(
            lambda url=url, n=trial: first.patch(url, {"first_name": f"Prénom{n}"}, content_type="application/json"),
            lambda url=url, n=trial: second.patch(url, {"phone": f"06000000{n:02d}"}, content_type="application/json"),
        )
        assert [a.status_code for a in answers] == [200, 200], answers
        stored = Person.objects.get(pk=person.pk)
        lost += stored.first_name != f"Prénom{trial}" or stored.phone != f"06000000{trial:02d}"
        versions.add(getattr(stored, "version", None))
    assert lost == 0
    assert versions == {3}  # each edit counted once


def test_two_simultaneous_patches_with_the_same_version_let_one_win_and_refuse_the_other(world):
    referent, colleague = world.users["referent"], world.users["colleague"]
    first, second = login_client(referent), login_client(colleague)
    for trial in range(5):
        person = make_person(by=referent)
        url = f"/api/v1/persons/{person.public_id}/"
        answers = together(
            lambda url=url: first.patch(url, {"city": "Saint-Étienne", "version": 1}, content_type="application/json"),
            lambda url=url: second.patch(
                url, {"city": "Firminy"}, content_type="application/json", headers={"If-Match": '"1"'}
            ),
        )
        codes = sorted(a.status_code for a in answers)
        assert codes in ([200, 409], [200, 412]), (trial, answers)
        refused = next(a for a in answers if a.status_code != 200)
        assert "modifiée par quelqu'un d'autre" in refused.json()["detail"]
        assert Person.objects.get(pk=person.pk).version == 2


def test_a_merge_during_an_edit_never_resurrects_the_absorbed_record(world):
    referent, coordinator = world.users["referent"], world.users["coordinator"]
    client = login_client(referent)
    outcomes = {"edited then merged": 0, "refused (merged)": 0}
    for trial in range(15):
        keep, absorb = make_person(by=referent), make_person(by=referent, email=f"{trial}@exemple.test")
        url = f"/api/v1/persons/{absorb.public_id}/"
        absorbed = Person.objects.get(pk=absorb.pk)
        answer, merged = together(
            lambda url=url: client.patch(url, {"phone": "0611223344"}, content_type="application/json"),
            lambda keep=keep, absorbed=absorbed: services.person_merge(by=coordinator, keep=keep, absorb=absorbed),
        )
        assert isinstance(merged, Person), merged
        assert not Person.objects.filter(public_id=absorb.public_id).exists(), f"fiche ressuscitée ({trial})"
        if answer.status_code == 200:
            outcomes["edited then merged"] += 1
            assert Person.objects.get(pk=keep.pk).phone == "0611223344"  # the edit landed before, then was merged
        else:
            assert answer.status_code == 409, answer.content
            body = answer.json()
            assert "fusionnée avec" in body["detail"] and body["merged_into"] == str(keep.public_id)
            outcomes["refused (merged)"] += 1
        assert client.get(f"/api/v1/persons/{keep.public_id}/").status_code == 200
        assert client.get("/api/v1/persons/").status_code == 200
    assert sum(outcomes.values()) == 15


def test_two_simultaneous_handoffs_to_one_structure_create_exactly_one(world, mission_locale):
    referent, colleague = world.users["referent"], world.users["colleague"]
    for trial in range(10):
        person = make_person(by=referent)

        def send(by, person=person):
            return services.handoff_send(by=by, person=person, to_structure=mission_locale, reason="CEJ", shared=[])

        results = together(lambda: send(referent), lambda: send(colleague))
        live = Handoff.objects.filter(person=person, to_structure=mission_locale, state__in=LIVE_HANDOFF_STATES)
        assert live.count() == 1, (trial, results)
        assert sorted(type(r).__name__ for r in results) == ["Conflict", "Handoff"], results
        refused = next(r for r in results if isinstance(r, Conflict))
        assert "déjà en cours" in refused.message


def test_handoffs_of_two_people_to_one_structure_proceed_in_parallel(world, mission_locale):
    """The lock on one hand-off must not hold the structures or the person joined to it (``of=("self",)``)."""
    referent = world.users["referent"]
    handoffs = [
        services.handoff_send(by=referent, person=make_person(by=referent), to_structure=mission_locale, reason="x",
                              shared=[])
        for _ in range(2)
    ]  # fmt: skip
    locked, release = threading.Event(), threading.Event()

    def hold_first() -> None:
        try:
            with transaction.atomic():
                _locked_handoff(handoffs[0])
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            try:
                services.handoff_acknowledge(by=world.users["ml_referent"], handoff=handoffs[1])
            except OperationalError as error:  # pragma: no cover — the failure this test guards against
                pytest.fail(f"la réponse à l'autre orientation attend un verrou : {error}")
    finally:
        release.set()
        holder.join()
    assert Handoff.objects.get(pk=handoffs[1].pk).state == "accusee"


def test_mobilisations_of_one_scheme_move_in_parallel(world, mission_locale):
    """Locking a CEJ mobilisation must not lock the CEJ scheme row (every CEJ transition would wait on it)."""
    from citemploi.pathways.models import Mobilisation
    from citemploi.schemes.models import Scheme

    referent = world.users["referent"]
    # Transactional tests empty the tables after each test, reference data included: the scheme is made here.
    cej, _created = Scheme.objects.get_or_create(code="cej", defaults={"name": "Contrat d'engagement jeune"})
    mobilisations = [
        services.mobilisation_propose(
            by=referent, person=make_person(by=referent), scheme=cej, structure=mission_locale
        )
        for _ in range(2)
    ]
    locked, release = threading.Event(), threading.Event()

    def hold_first() -> None:
        try:
            with transaction.atomic():  # the first transition holds its locks until released
                services.mobilisation_transition(by=referent, mobilisation=mobilisations[0], target="orientee")
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            try:
                services.mobilisation_transition(by=referent, mobilisation=mobilisations[1], target="orientee")
            except OperationalError as error:  # pragma: no cover — the failure this test guards against
                pytest.fail(f"la mobilisation attend le verrou du dispositif : {error}")
    finally:
        release.set()
        holder.join()
    assert Mobilisation.objects.get(pk=mobilisations[1].pk).state == "orientee"
