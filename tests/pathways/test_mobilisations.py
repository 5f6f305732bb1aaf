"""Issue 10 item 4 (the structure in charge is the one that runs the scheme, changes at the hand-off and keeps its
history) and item 6 (an exit closes the open mobilisations, each with its outcome; actions hidden after an exit)."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.core.errors import ValidationFailed
from citemploi.pathways import services
from citemploi.pathways.models import Mobilisation
from citemploi.pathways.states import InvalidTransition
from tests.conftest import login_client
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db


def test_a_scheme_is_credited_to_one_of_its_operators(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent)
    with pytest.raises(ValidationFailed, match="ne porte pas le dispositif Contrat d'engagement jeune") as error:
        services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=world.relais)
    assert error.value.field == "structure" and "Mission Locale" in error.value.message
    assert not Mobilisation.objects.exists()
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    assert cej.structure == mission_locale


def test_the_receiver_of_the_acknowledged_hand_off_takes_charge_with_history(world, mission_locale):
    agent, ml_ref = world.users["referent"], world.users["ml_referent"]
    other_ml = StructureFactory(mission_locale=True, name="Mission Locale du Gier")
    person = make_person(by=agent)
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=other_ml)
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=[], mobilisation=cej
    )
    assert Mobilisation.objects.get(pk=cej.pk).structure == other_ml  # sent, not yet acknowledged
    services.handoff_acknowledge(by=ml_ref, handoff=handoff)
    assert Mobilisation.objects.get(pk=cej.pk).structure == mission_locale
    line = person.timeline.get(kind="mobilisation.structure")
    assert line.label == (
        "Dispositif Contrat d'engagement jeune (CEJ) : structure en charge Mission Locale du Gier → Mission Locale de test "
        "(orientation accusée)"
    )
    assert line.actor == ml_ref
    assert any("structure" in entry.changes_dict for entry in LogEntry.objects.get_for_object(cej))
    # the entry recorded by the Mission Locale keeps it in charge
    services.handoff_first_meeting(by=ml_ref, handoff=handoff, met_on=dt.date.today(), enter_scheme=True)
    assert Mobilisation.objects.get(pk=cej.pk).structure == mission_locale


def test_a_receiver_that_does_not_run_the_scheme_does_not_take_charge(world, mission_locale):
    agent = world.users["referent"]
    association = StructureFactory()
    receiver = user_with_role(Role.PARTNER_REFERENT, association)
    person = make_person(by=agent)
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=association, reason="Mobilité", shared=[], mobilisation=cej
    )
    services.handoff_acknowledge(by=receiver, handoff=handoff)
    assert Mobilisation.objects.get(pk=cej.pk).structure == mission_locale
    assert not person.timeline.filter(kind="mobilisation.structure").exists()


def _entered(agent, person, code, structure):
    mobilisation = services.mobilisation_propose(by=agent, person=person, scheme=scheme(code), structure=structure)
    for target in ("orientee", "acceptee", "entree"):
        services.mobilisation_transition(by=agent, mobilisation=mobilisation, target=target)
    return mobilisation


def test_exit_closes_the_open_mobilisations_with_their_outcome(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    cej = _entered(agent, person, "cej", mission_locale)
    pec = _entered(agent, person, "pec", mission_locale)
    vae = services.mobilisation_propose(by=agent, person=person, scheme=scheme("vae"), structure=mission_locale)
    with pytest.raises(ValidationFailed, match="ne peut pas se clore ainsi") as error:
        services.exit_record(by=agent, person=person, exited_on=dt.date.today(), situation="cdi",
                             mobilisation_outcomes={str(vae.public_id): "sortie"})  # fmt: skip
    assert error.value.field == f"mobilisation_{vae.public_id}"
    services.exit_record(
        by=agent, person=person, exited_on=dt.date.today(), situation="cdi",
        mobilisation_outcomes={str(pec.public_id): "abandon"},
    )  # fmt: skip
    states = {m.pk: (m.state, m.ended_on) for m in Mobilisation.objects.filter(person=person)}
    assert states == {
        cej.pk: ("sortie", dt.date.today()),  # the default
        pec.pk: ("abandon", dt.date.today()),
        vae.pk: ("refusee", dt.date.today()),  # a proposal can only be declined
    }
    with pytest.raises(InvalidTransition, match="sortie du parcours"):
        services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)


def test_exit_form_asks_what_became_of_each_mobilisation_then_the_page_hides_the_actions(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    cej = _entered(agent, person, "cej", mission_locale)
    client = login_client(agent)
    page = reverse("pathways:person", args=[person.public_id])
    assert "Enregistrer la sortie" in client.get(page).content.decode()
    url = reverse("pathways:exit_new", args=[person.public_id])
    field = client.get(url).context["form"].fields[f"mobilisation_{cej.public_id}"]
    assert [c for c, _label in field.choices] == ["sortie", "abandon"] and field.initial == "sortie"
    response = client.post(url, {"exited_on": dt.date.today().isoformat(), "situation": "cdi",
                                 f"mobilisation_{cej.public_id}": "abandon"})  # fmt: skip
    assert response.status_code == 302
    assert Mobilisation.objects.get(pk=cej.pk).state == "abandon"
    html = client.get(page).content.decode()
    for hidden in ("Enregistrer la sortie", "Proposer un dispositif", "Orienter vers une structure",
                   "Identifier un frein", "Changer l&#x27;état du parcours"):  # fmt: skip
        assert hidden not in html, hidden
    assert "Modifier la fiche" in html and "Enregistrer le suivi à 3 mois" in html
