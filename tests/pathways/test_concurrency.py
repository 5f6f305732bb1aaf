"""On PostgreSQL, two members of the receiving structure acknowledging one hand-off at once: exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from citemploi.pathways import services
from citemploi.pathways.models import Handoff
from citemploi.pathways.states import InvalidTransition
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_acknowledgements_let_exactly_one_succeed(world, mission_locale):
    if connection.vendor != "postgresql":
        pytest.skip("verrous de ligne : PostgreSQL seulement")
    person = make_person(by=world.users["referent"])
    handoff = services.handoff_send(
        by=world.users["referent"], person=person, to_structure=mission_locale, reason="x", shared=[]
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def acknowledge():
        try:
            barrier.wait()
            services.handoff_acknowledge(by=world.users["ml_referent"], handoff=handoff)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=acknowledge) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Handoff.objects.get(pk=handoff.pk).state == "accusee"
    assert person.timeline.filter(kind="handoff.acknowledged").count() == 1
