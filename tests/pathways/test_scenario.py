"""The journey of the issue, through the services: spotted by a relais, handed to the Mission Locale, exit, follow-up."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from citemploi.pathways import services
from citemploi.pathways.models import Exit, Handoff, Mobilisation, Person
from citemploi.pathways.states import InvalidTransition
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db


def _journey(world, ml):
    agent = world.users["referent"]
    person = make_person(by=agent, referent=False)
    services.notice_record(by=agent, person=person, informed_on=dt.date.today(), notice_version="2026-01")
    services.referent_assign(by=agent, person=person, referent=agent)
    services.frein_identify(by=agent, person=person, theme="mobilite")
    services.frein_identify(by=agent, person=person, theme="numerique")
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=ml)
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=ml, reason="CEJ", shared=["contact", "schemes"], mobilisation=cej
    )
    return person, handoff, cej


def test_full_journey_is_in_the_timeline_in_order_with_who_did_it(
    world, mission_locale, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person, handoff, cej = _journey(world, mission_locale)
    assert [m.to for m in mail.outbox] == [[world.users["ml_referent"].email]]
    ml_ref = world.users["ml_referent"]
    services.handoff_acknowledge(by=ml_ref, handoff=handoff)
    services.handoff_first_meeting(by=ml_ref, handoff=handoff, met_on=dt.date.today(), enter_scheme=True)
    assert Mobilisation.objects.get(pk=cej.pk).state == "entree"
    exit_ = services.exit_record(
        by=world.users["referent"],
        person=person,
        exited_on=dt.date.today(),
        situation="cdd",
        contract_end_on=dt.date.today() + dt.timedelta(days=250),
    )
    assert exit_.category == "emploi_durable"
    six = exit_.followups.get(months=6)
    assert six.due_on > dt.date.today() + dt.timedelta(days=180)
    services.followup_record(by=world.users["referent"], followup=six, done_on=dt.date.today(), situation="cdd")
    events = list(person.timeline.order_by("at", "id").values_list("kind", "actor__email"))
    kinds = [k for k, _ in events]
    for earlier, later in [("person.spotted", "notice.given"), ("notice.given", "referent.assigned"), ("frein.identified", "handoff.sent"),
                           ("handoff.sent", "handoff.acknowledged"), ("handoff.acknowledged", "handoff.first_meeting"),
                           ("handoff.first_meeting", "exit"), ("exit", "followup")]:  # fmt: skip
        assert kinds.index(earlier) < kinds.index(later)
    assert ("handoff.acknowledged", ml_ref.email) in events
    assert Person.objects.get(pk=person.pk).pathway.state == "sorti"


def _unchanged(handoff):
    return Handoff.objects.filter(pk=handoff.pk).values("state", "acknowledged_at", "first_meeting_on").get()


def test_invalid_transitions_give_a_french_message_and_change_nothing(world, mission_locale):
    person, handoff, _cej = _journey(world, mission_locale)
    ml_ref = world.users["ml_referent"]
    before = _unchanged(handoff)
    with pytest.raises(InvalidTransition, match="Accusez réception"):
        services.handoff_first_meeting(by=ml_ref, handoff=handoff, met_on=dt.date.today())
    assert _unchanged(handoff) == before
    services.handoff_acknowledge(by=ml_ref, handoff=handoff)
    acknowledged = _unchanged(handoff)
    with pytest.raises(InvalidTransition, match="déjà été accusée"):
        services.handoff_acknowledge(by=ml_ref, handoff=handoff)
    assert _unchanged(handoff) == acknowledged
    with pytest.raises(InvalidTransition, match="situation de sortie"):
        services.exit_record(by=world.users["referent"], person=person, exited_on=dt.date.today(), situation="")
    assert not Exit.objects.filter(person=person).exists()
    assert Person.objects.get(pk=person.pk).pathway.state == "oriente"
    with pytest.raises(InvalidTransition, match="propre structure"):
        services.handoff_send(
            by=world.users["referent"], person=person, to_structure=world.relais, reason="x", shared=[]
        )
    assert Handoff.objects.filter(person=person).count() == 1
    with pytest.raises(InvalidTransition, match="motif du refus"):
        services.handoff_refuse(by=ml_ref, handoff=handoff, reason=" ")


def test_exit_categories_follow_the_six_calendar_months_rule(world):
    agent = world.users["referent"]
    start = dt.date(2026, 1, 1)
    cases = [("cdd", dt.date(2026, 6, 29), "emploi_transition"), ("interim", dt.date(2026, 6, 30), "emploi_durable"),
             ("cdi", None, "emploi_durable"), ("formation", None, "sortie_positive"), ("chomage", None, "autre"), ("demenagement", None, "neutre")]  # fmt: skip
    for situation, end, category in cases:
        person = make_person(by=agent, spotted_on=dt.date(2025, 12, 1))
        services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
        assert (
            services.exit_record(
                by=agent, person=person, exited_on=start, situation=situation, contract_end_on=end
            ).category
            == category
        )


def test_deld_and_detld_are_computed_from_the_registration_date(world):
    today = timezone.localdate()
    person = Person(ft_registered_since=today.replace(year=today.year - 1), ft_category="A")
    assert person.is_deld and not person.is_detld
    assert Person(ft_registered_since=today.replace(year=today.year - 2), ft_category="B").is_detld
    assert not Person(ft_registered_since=today - dt.timedelta(days=100), ft_category="A").is_deld
    assert Person(ft_registered_since=today.replace(year=today.year - 2), ft_category="E").is_detld is False
    assert Person().is_deld is None  # registration unknown: DELD cannot be told
    assert Person(ft_registered=False).is_deld is False


def test_referent_history_keeps_one_open_period(world):
    agent, colleague = world.users["referent"], world.users["colleague"]
    person = make_person(by=agent)
    services.referent_assign(by=agent, person=person, referent=colleague)
    history = list(person.referent_history.order_by("started_at", "id"))
    assert [h.referent for h in history] == [agent, colleague]
    assert history[0].ended_at is not None and history[1].ended_at is None


def test_contact_initiated_by_the_person_restarts_the_retention_clock(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    Person.objects.filter(pk=person.pk).update(retention_from=timezone.now() - dt.timedelta(days=3))
    person = Person.objects.get(pk=person.pk)
    later = timezone.now() - dt.timedelta(days=1)  # after the clock's start, not in the future
    services.contact_record(by=agent, person=person, kind="appel", happened_at=later, initiated_by_person=False)
    assert Person.objects.get(pk=person.pk).retention_from < later
    services.contact_record(by=agent, person=person, kind="appel", happened_at=later, initiated_by_person=True)
    assert Person.objects.get(pk=person.pk).retention_from == later
