"""Issue 10, item 7: the receiver plans the first meeting, records it held (a contact), moves the mobilisation,
adds a frein and replies; the sender's reason and the replies stay on the hand-off for both structures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.pathways import services
from citemploi.pathways.models import Appointment, Contact, Frein, Handoff, HandoffReply, Mobilisation
from citemploi.pathways.services import appointments as ap
from tests.conftest import login_client
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent)
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=mission_locale, reason="Souhaite entrer en CEJ, disponible le matin",
        shared=["contact"], mobilisation=cej,
    )  # fmt: skip
    return person, handoff, cej


def _ack(world, handoff):
    return services.handoff_acknowledge(by=world.users["ml_referent"], handoff=handoff)


def test_plan_then_hold_records_a_contact_moves_the_scheme_adds_a_frein_and_replies(world, sent):
    person, handoff, cej = sent
    ml = world.users["ml_referent"]
    _ack(world, handoff)
    later = timezone.now() + dt.timedelta(days=7)
    appointment = ap.appointment_plan(by=ml, handoff=handoff, starts_at=later, place="Mission Locale, 2e étage")
    assert appointment.state == "prevu" and appointment.structure_id == handoff.to_structure_id
    moved = ap.appointment_plan(by=ml, handoff=handoff, starts_at=later + dt.timedelta(hours=2))
    assert moved.pk == appointment.pk and Appointment.objects.count() == 1
    held = ap.appointment_hold(
        by=ml, appointment=appointment, held_at=timezone.now() - dt.timedelta(minutes=5),
        mobilisation_target="entree", frein_theme="mobilite", reply="Reçu ce jour, entrée en CEJ validée.",
    )  # fmt: skip
    assert held.state == "tenu" and held.contact is not None
    contact = Contact.objects.get(pk=held.contact_id)
    assert contact.kind == "rdv" and contact.structure_id == handoff.to_structure_id
    assert Handoff.objects.get(pk=handoff.pk).state == "premier_rdv"
    assert Mobilisation.objects.get(pk=cej.pk).state == "entree"
    assert Frein.objects.filter(person=person, theme="mobilite", structure=handoff.to_structure).exists()
    assert HandoffReply.objects.get(handoff=handoff).message == "Reçu ce jour, entrée en CEJ validée."
    person.pathway.refresh_from_db()
    assert person.pathway.state == "en_parcours"


def test_a_planned_meeting_is_in_the_future_and_only_after_acknowledgement(world, sent):
    _person, handoff, _cej = sent
    ml = world.users["ml_referent"]
    with pytest.raises(InvalidTransition):
        ap.appointment_plan(by=ml, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=1))
    _ack(world, handoff)
    with pytest.raises(ValidationFailed) as error:
        ap.appointment_plan(by=ml, handoff=handoff, starts_at=timezone.now() - dt.timedelta(hours=1))
    assert error.value.field == "starts_at"
    assert not Appointment.objects.exists()


def test_only_the_receiver_plans_holds_and_replies(world, sent):
    _person, handoff, _cej = sent
    _ack(world, handoff)
    for persona in ("referent", "outsider"):
        with pytest.raises(PermissionDenied):
            ap.appointment_plan(by=world.users[persona], handoff=handoff, starts_at=timezone.now() + dt.timedelta(1))
        with pytest.raises(PermissionDenied):
            ap.handoff_reply(by=world.users[persona], handoff=handoff, message="Bonjour")
    appointment = ap.appointment_plan(
        by=world.users["ml_referent"], handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        ap.appointment_hold(by=world.users["referent"], appointment=appointment, held_at=timezone.now())
    assert Appointment.objects.get().state == "prevu" and not HandoffReply.objects.exists()


def test_a_meeting_is_held_only_once_it_took_place_and_nothing_changes_on_refusal(world, sent):
    _person, handoff, _cej = sent
    ml = world.users["ml_referent"]
    _ack(world, handoff)
    appointment = ap.appointment_plan(by=ml, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as error:
        ap.appointment_hold(by=ml, appointment=appointment, held_at=timezone.now() + dt.timedelta(hours=1))
    assert error.value.field == "held_at"
    with pytest.raises(ValidationFailed):
        ap.appointment_hold(by=ml, appointment=appointment, held_at=timezone.now(), reply="x" * 281)
    assert Appointment.objects.get().state == "prevu" and not Contact.objects.filter(structure=handoff.to_structure)
    assert Handoff.objects.get(pk=handoff.pk).state == "accusee"


def test_reply_is_length_limited_and_not_in_the_timeline(world, sent):
    person, handoff, _cej = sent
    ml = world.users["ml_referent"]
    with pytest.raises(ValidationFailed) as error:
        ap.handoff_reply(by=ml, handoff=handoff, message="a" * 281)
    assert "280" in error.value.message
    ap.handoff_reply(by=ml, handoff=handoff, message="Nous la recevons mardi.")
    assert not person.timeline.filter(label__contains="mardi").exists()
    assert person.timeline.filter(kind="handoff.reply").exists()


def test_cancel_then_plan_again(world, sent):
    _person, handoff, _cej = sent
    ml = world.users["ml_referent"]
    _ack(world, handoff)
    first = ap.appointment_plan(by=ml, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=1))
    ap.appointment_cancel(by=ml, appointment=first)
    second = ap.appointment_plan(by=ml, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=2))
    assert second.pk != first.pk and Appointment.objects.filter(state="prevu").count() == 1


def test_reason_and_replies_stay_visible_to_both_structures_for_the_life_of_the_handoff(world, sent):
    person, handoff, _cej = sent
    ml = world.users["ml_referent"]
    url = reverse("pathways:person", args=[person.public_id])
    receiver, sender = login_client(ml), login_client(world.users["referent"])
    assert "Souhaite entrer en CEJ" in receiver.get(url).content.decode()
    _ack(world, handoff)
    ap.handoff_reply(by=ml, handoff=handoff, message="Nous la recevons mardi.")
    appointment = ap.appointment_plan(by=ml, handoff=handoff, starts_at=timezone.now() + dt.timedelta(days=3))
    ap.appointment_hold(by=ml, appointment=appointment, held_at=timezone.now())
    for client in (receiver, sender):
        page = client.get(url).content.decode()
        assert "Souhaite entrer en CEJ" in page and "Nous la recevons mardi." in page
    assert person.email == "" or person.email in receiver.get(url).content.decode()


def test_contact_details_are_shared_by_default_and_can_be_unticked(world):
    person = make_person(by=world.users["referent"])
    page = login_client(world.users["referent"]).get(reverse("pathways:handoff_new", args=[person.public_id]))
    html = page.content.decode()
    checkbox = html[html.index('value="contact"') - 200 : html.index('value="contact"') + 200]
    assert "checked" in checkbox
    address = html[html.index('value="address"') - 200 : html.index('value="address"') + 120]
    assert "checked" not in address.split('value="address"')[1]


def test_a_receiver_not_in_charge_of_the_scheme_cannot_move_it_at_the_meeting(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent)
    pec = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    other = services.handoff_send(
        by=agent, person=person, to_structure=world.other_relais, reason="Atelier CV", shared=[], mobilisation=pec
    )
    outsider = world.users["outsider"]
    services.handoff_acknowledge(by=outsider, handoff=other)
    appointment = ap.appointment_plan(by=outsider, handoff=other, starts_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as error:
        ap.appointment_hold(by=outsider, appointment=appointment, held_at=timezone.now(), mobilisation_target="entree")
    assert error.value.field == "mobilisation_target"
    assert Mobilisation.objects.get(pk=pec.pk).state == "orientee"
    page = login_client(outsider).get(
        reverse("pathways:appointment_hold", args=[person.public_id, appointment.public_id])
    )
    assert page.status_code == 200 and "mobilisation_target" not in page.content.decode()
