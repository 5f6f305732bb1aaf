"""On PostgreSQL, two members of the receiving structure planning the first meeting of one hand-off at once, or
recording it held at once: one planned meeting, one contact, one « premier rendez-vous tenu »."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from citemploi.core.errors import DomainError
from citemploi.pathways import services
from citemploi.pathways.models import Appointment, Contact
from citemploi.pathways.services import appointments as ap
from tests.factories.pathways import make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(action) -> list[str]:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run():
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_concurrent_plans_and_holds_leave_one_meeting_and_one_contact(world, mission_locale):
    if connection.vendor != "postgresql":
        pytest.skip("verrous de ligne : PostgreSQL seulement")
    ml = world.users["ml_referent"]
    person = make_person(by=world.users["referent"])
    handoff = services.handoff_send(
        by=world.users["referent"], person=person, to_structure=mission_locale, reason="x", shared=[]
    )
    services.handoff_acknowledge(by=ml, handoff=handoff)
    when = timezone.now() + dt.timedelta(days=2)
    assert _race(lambda: ap.appointment_plan(by=ml, handoff=handoff, starts_at=when)) == ["ok", "ok"]
    assert Appointment.objects.filter(handoff=handoff, state="prevu").count() == 1  # the second one moved it
    appointment = Appointment.objects.get(handoff=handoff)
    assert _race(lambda: ap.appointment_hold(by=ml, appointment=appointment, held_at=timezone.now())) == [
        "ok",
        "refused",
    ]
    assert Contact.objects.filter(person=person, structure=mission_locale).count() == 1
    assert person.timeline.filter(kind="handoff.first_meeting").count() == 1
