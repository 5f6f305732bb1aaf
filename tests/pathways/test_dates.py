"""Issue 10 item 6: every date is checked by the services (ValidationFailed, French message, field name), and the
forms show the message on the field. An exit closes the open mobilisations, each with its chosen outcome."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.core.errors import ValidationFailed
from citemploi.pathways import services
from citemploi.pathways.models import Exit, Mobilisation, Person
from tests.conftest import login_client
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)


def _years_ago(years, days=0):
    return TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=days)


def _refused(call, field, message):
    with pytest.raises(ValidationFailed) as error:
        call()
    assert error.value.field == field
    assert message in error.value.message
    return error.value


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        (dt.date(2030, 1, 1), "La date de naissance ne peut pas être dans le futur."),
        (dt.date(1890, 1, 1), "Une personne accompagnée a entre 14 et 100 ans"),
        (_years_ago(14) + dt.timedelta(days=1), "elle aurait 13 ans"),
        (_years_ago(101), "elle aurait 101 ans"),
    ],
)
def test_a_person_is_14_to_100_years_old(world, birth_date, message):
    agent = world.users["referent"]
    _refused(lambda: make_person(by=agent, birth_date=birth_date), "birth_date", message)
    assert not Person.objects.exists()
    person = make_person(by=agent, birth_date=_years_ago(14))
    make_person(by=agent, birth_date=_years_ago(100))
    _refused(
        lambda: services.person_update(by=agent, person=person, changes=services.PersonChanges(birth_date=birth_date)),
        "birth_date",
        message,
    )
    assert Person.objects.get(pk=person.pk).birth_date == _years_ago(14)


def test_past_events_cannot_be_in_the_future(world, mission_locale):
    agent = world.users["referent"]
    _refused(lambda: make_person(by=agent, spotted_on=TOMORROW), "spotted_on", "La date de repérage ne peut pas")
    _refused(
        lambda: make_person(by=agent, ft_registered_since=TOMORROW),
        "ft_registered_since",
        "La date d'inscription à France Travail ne peut pas être dans le futur.",
    )
    person = make_person(by=agent)
    cases = [
        (lambda: services.contact_record(by=agent, person=person, kind="rdv",
                                         happened_at=timezone.now() + dt.timedelta(days=400)),
         "happened_at", "La date du contact ne peut pas être dans le futur"),
        (lambda: services.notice_record(by=agent, person=person, informed_on=TOMORROW, notice_version="v1"),
         "informed_on", "La date de remise de la notice ne peut pas être dans le futur."),
        (lambda: services.consent_give(by=agent, person=person, partner=mission_locale, given_on=TOMORROW),
         "given_on", "La date du consentement ne peut pas être dans le futur."),
        (lambda: services.frein_identify(by=agent, person=person, theme="mobilite", identified_on=TOMORROW),
         "identified_on", "La date d'identification du frein ne peut pas être dans le futur."),
    ]  # fmt: skip
    for call, field, message in cases:
        _refused(call, field, message)
    assert not person.contacts.exists() and not person.notices.exists() and not person.freins.exists()
    assert Person.objects.get(pk=person.pk).pathway.state == "repere"


def test_notice_objection_and_consent_withdrawal_come_after_and_not_in_the_future(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent, spotted_on=TODAY - dt.timedelta(days=30))
    notice = services.notice_record(
        by=agent, person=person, informed_on=TODAY - dt.timedelta(days=5), notice_version="v1"
    )
    _refused(lambda: services.notice_object(by=agent, notice=notice, objected_on=TOMORROW), "objected_on",
             "La date de l'opposition ne peut pas être dans le futur.")  # fmt: skip
    _refused(
        lambda: services.notice_object(by=agent, notice=notice, objected_on=TODAY - dt.timedelta(days=6)),
        "objected_on",
        "L'opposition ne peut pas précéder la remise de la notice",
    )
    consent = services.consent_give(
        by=agent, person=person, partner=mission_locale, given_on=TODAY - dt.timedelta(days=2)
    )
    _refused(lambda: services.consent_revoke(by=agent, consent=consent, revoked_on=TOMORROW), "revoked_on",
             "La date du retrait du consentement ne peut pas être dans le futur.")  # fmt: skip
    _refused(
        lambda: services.consent_revoke(by=agent, consent=consent, revoked_on=TODAY - dt.timedelta(days=3)),
        "revoked_on",
        "Le retrait ne peut pas précéder le consentement",
    )


def test_first_meeting_after_the_hand_off_and_not_in_the_future(world, mission_locale):
    agent, ml_ref = world.users["referent"], world.users["ml_referent"]
    person = make_person(by=agent)
    handoff = services.handoff_send(by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=[])
    services.handoff_acknowledge(by=ml_ref, handoff=handoff)
    _refused(lambda: services.handoff_first_meeting(by=ml_ref, handoff=handoff, met_on=TOMORROW), "met_on",
             "La date du premier rendez-vous ne peut pas être dans le futur.")  # fmt: skip
    _refused(
        lambda: services.handoff_first_meeting(by=ml_ref, handoff=handoff, met_on=TODAY - dt.timedelta(days=1)),
        "met_on",
        "Le premier rendez-vous ne peut pas précéder l'envoi de l'orientation",
    )


def test_exit_after_the_reperage_the_entry_and_every_scheme_entry_it_closes(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent, spotted_on=TODAY - dt.timedelta(days=60))
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now() - dt.timedelta(days=50))
    _refused(lambda: services.exit_record(by=agent, person=person, exited_on=TOMORROW, situation="cdi"),
             "exited_on", "La date de sortie ne peut pas être dans le futur.")  # fmt: skip
    _refused(
        lambda: services.exit_record(by=agent, person=person, exited_on=TODAY - dt.timedelta(days=61), situation="cdi"),
        "exited_on",
        f"La sortie ne peut pas précéder le repérage ({TODAY - dt.timedelta(days=60):%d/%m/%Y}).",
    )
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    Mobilisation.objects.filter(pk=cej.pk).update(proposed_on=TODAY - dt.timedelta(days=40))
    _refused(
        lambda: services.exit_record(by=agent, person=person, exited_on=TODAY - dt.timedelta(days=45), situation="cdi"),
        "exited_on",
        "La sortie ne peut pas précéder la proposition du dispositif Contrat d'engagement jeune",
    )
    for target in ("orientee", "acceptee", "entree"):
        services.mobilisation_transition(by=agent, mobilisation=cej, target=target)
    Mobilisation.objects.filter(pk=cej.pk).update(entered_on=TODAY - dt.timedelta(days=10))
    error = _refused(
        lambda: services.exit_record(by=agent, person=person, exited_on=TODAY - dt.timedelta(days=11), situation="cdi"),
        "exited_on",
        "La sortie ne peut pas précéder l'entrée",
    )
    assert "ne peut pas précéder" in error.message
    _refused(
        lambda: services.exit_record(by=agent, person=person, exited_on=TODAY, situation="cdd",
                                     contract_end_on=TODAY - dt.timedelta(days=1)),
        "contract_end_on",
        "La fin prévue du contrat ne peut pas précéder la date de sortie",
    )  # fmt: skip
    assert not Exit.objects.filter(person=person).exists()
    assert Mobilisation.objects.get(pk=cej.pk).state == "entree"


def test_follow_up_comes_after_the_exit_and_not_in_the_future(world):
    agent = world.users["referent"]
    person = make_person(by=agent, spotted_on=TODAY - dt.timedelta(days=30))
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now() - dt.timedelta(days=20))
    exit_ = services.exit_record(by=agent, person=person, exited_on=TODAY - dt.timedelta(days=10), situation="cdi")
    three = exit_.followups.get(months=3)
    _refused(lambda: services.followup_record(by=agent, followup=three, done_on=TOMORROW, situation="cdi"),
             "done_on", "La date du suivi ne peut pas être dans le futur.")  # fmt: skip
    _refused(
        lambda: services.followup_record(
            by=agent, followup=three, done_on=TODAY - dt.timedelta(days=11), situation="cdi"
        ),
        "done_on",
        "Le suivi ne peut pas précéder la sortie",
    )
    services.followup_record(by=agent, followup=three, done_on=TODAY, situation="cdi")


def test_web_form_shows_the_date_message_on_its_field(world):
    form = {"first_name": "Éloïse", "last_name": "Dupré", "birth_date": "2030-05-04", "rsa": "non",
            "channel": "permanence", "spotted_on": TODAY.isoformat()}  # fmt: skip
    client = login_client(world.users["referent"])
    response = client.post(reverse("pathways:person_new"), form)
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == ["La date de naissance ne peut pas être dans le futur."]
    assert not Person.objects.exists()
    response = client.post(
        reverse("pathways:person_new"), {**form, "birth_date": "1999-05-04", "spotted_on": "2027-01-05"}
    )
    assert "La date de repérage ne peut pas être dans le futur." in response.context["form"].errors["spotted_on"]
    person = make_person(by=world.users["referent"])
    response = client.post(
        reverse("pathways:contact_new", args=[person.public_id]), {"kind": "rdv", "happened_at": "2027-03-01T10:00"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["happened_at"][0].startswith("La date du contact ne peut pas être")


def test_api_answers_400_with_the_field(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.users["referent"])
    response = client.post(
        "/api/v1/persons/",
        {"first_name": "A", "last_name": "B", "birth_date": "1890-01-01", "channel": "permanence",
         "spotted_on": TODAY.isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400, response.content
    assert "entre 14 et 100 ans" in response.json()["birth_date"][0]
