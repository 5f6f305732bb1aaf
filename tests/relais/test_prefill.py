"""The prefill of a report counts exactly what citemploi knows of the relais' month, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citemploi.pathways import services as pathways
from citemploi.pathways.models import Handoff
from citemploi.relais.months import next_month, previous_month
from citemploi.relais.prefill import prefill
from citemploi.relais.values import Reception
from tests.conftest import assert_max_queries
from tests.factories.accounts import StructureFactory
from tests.factories.partners import ActionFactory, RegistrationFactory, SessionFactory
from tests.factories.pathways import make_person
from tests.relais.conftest import in_month


def _people(world, qpvs, month):
    referent, early = world.users["referent"], previous_month(previous_month(month))
    a = make_person(by=referent, sex="F", qpv=qpvs[0], spotted_on=early)
    b = make_person(by=referent, sex="F", qpv=qpvs[0], spotted_on=early)
    c = make_person(by=referent, sex="M", spotted_on=early)
    d = make_person(by=referent, sex="M", spotted_on=early)
    e = make_person(by=world.users["outsider"], sex="F", qpv=qpvs[0], spotted_on=early)
    contact = pathways.contact_record
    contact(by=referent, person=a, kind="rdv", happened_at=in_month(early, 3))  # before the month: returning
    contact(by=referent, person=a, kind="rdv", happened_at=in_month(month, 5))
    contact(by=referent, person=b, kind="atelier", happened_at=in_month(month, 6))
    contact(by=referent, person=c, kind="rdv", happened_at=in_month(month, 7))
    contact(by=referent, person=c, kind="diagnostic", happened_at=in_month(month, 8))
    contact(by=referent, person=d, kind="appel", happened_at=in_month(month, 9))  # a call: not « reçue »
    contact(by=world.users["outsider"], person=e, kind="rdv", happened_at=in_month(month, 9))  # another relais
    contact(by=referent, person=b, kind="rdv", happened_at=in_month(next_month(month), 2))  # the month after
    return a, c


def _handoffs(world, a, c, month):
    referent = world.users["referent"]
    ml, plie = StructureFactory(mission_locale=True), StructureFactory(kind="plie", name="PLIE de test")
    for person, to in ((a, ml), (c, ml), (a, plie)):
        handoff = pathways.handoff_send(by=referent, person=person, to_structure=to, reason="x", shared=[])
        Handoff.objects.filter(pk=handoff.pk).update(sent_at=in_month(month, 12))
    later = pathways.handoff_send(by=referent, person=c, to_structure=plie, reason="x", shared=[])
    Handoff.objects.filter(pk=later.pk).update(sent_at=in_month(next_month(month), 3))


def _actions(world, month):
    relais = world.relais
    workshop = ActionFactory(carrier=relais, kind="workshop", starts_on=month, ends_on=next_month(month))
    first, second = (SessionFactory(action=workshop, starts_at=in_month(month, d)) for d in (4, 18))
    after = SessionFactory(action=workshop, starts_at=in_month(next_month(month), 2))
    for session, attendance in ((first, "present"),) * 3 + (
        (first, "absent"),
        (second, "present"),
        (second, "present"),
        (after, "present"),
    ):  # noqa: E501
        RegistrationFactory(action=workshop, session=session, attendance=attendance)
    lone = ActionFactory(
        carrier=relais, kind="info_session", starts_on=month.replace(day=20), ends_on=month.replace(day=20)
    )
    RegistrationFactory(action=lone, attendance="present")
    RegistrationFactory(action=lone, attendance="")
    ActionFactory(carrier=StructureFactory(), kind="forum", starts_on=month, ends_on=month, partners=[relais])
    ActionFactory(carrier=relais, kind="job_dating", starts_on=month, ends_on=month, status="cancelled")
    ActionFactory(carrier=world.other_relais, kind="forum", starts_on=month, ends_on=month)
    ActionFactory(
        carrier=relais, kind="forum", starts_on=month - dt.timedelta(days=40), ends_on=month - dt.timedelta(days=35)
    )


def test_prefill_counts_exactly(world, qpvs, last_month):
    a, c = _people(world, qpvs, last_month)
    _handoffs(world, a, c, last_month)
    _actions(world, last_month)
    with assert_max_queries(7):
        found = prefill(world.relais, last_month)
    assert found.receptions == (Reception("", "M", 1, 0), (Reception(qpvs[0].code, "F", 1, 1)))
    assert found.appointments == 3  # a's and c's rendez-vous, c's diagnostic
    assert (found.workshops, found.workshop_attendance) == (3, 6)
    assert found.orientations == (("mission_locale", 2), ("plie", 1))
    assert found.events == 1
    assert (found.highlights, found.difficulties) == ("", "")


def test_new_report_page_shows_the_prefill(world, qpvs, last_month):
    from tests.conftest import login_client

    a, c = _people(world, qpvs, last_month)
    client = login_client(world.users["referent"])
    page = client.get(f"/relais/{world.relais.public_id}/rapports/{last_month:%Y-%m}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pas encore écrit" in html and 'name="appointments"' in html
    assert page.context["form"]["appointments"].value() == 3
    assert timezone.localdate() > last_month
