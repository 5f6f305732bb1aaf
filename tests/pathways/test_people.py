"""Registration with duplicates shown first, merge by the coordinator, accent-insensitive search, French errors
on screens, ROME load, notifications, API token."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from citemploi.pathways import services
from citemploi.pathways.models import Handoff, PendingNotification, Person, RomeAppellation, RomeCode
from citemploi.pathways.notifications import preference_set
from tests.conftest import login_client
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Éloïse",
    "last_name": "Dupré",
    "birth_date": "1999-05-04",
    "rsa": "non",
    "channel": "permanence",
    "spotted_on": "2026-01-05",
}


def test_registration_shows_similar_records_first(world, clients):
    make_person(by=world.users["referent"], first_name="Eloise", last_name="DUPRE", birth_date=dt.date(1999, 5, 4))
    make_person(by=world.users["outsider"], first_name="Eloïse", last_name="Duprée", birth_date=dt.date(1999, 5, 4))
    response = clients["referent"].post(reverse("pathways:person_new"), FORM)
    assert response.status_code == 200
    assert len(response.context["similar"]) == 1 and "hidden_similar" not in response.context
    assert Person.objects.count() == 2
    response = clients["referent"].post(reverse("pathways:person_new"), {**FORM, "confirm": "on"})
    assert response.status_code == 302 and Person.objects.count() == 3


def test_search_is_accent_insensitive(world, clients):
    make_person(by=world.users["referent"], first_name="Éloïse", last_name="Dupré")
    response = clients["referent"].get(reverse("pathways:cohort"), {"q": "eloise DUPRE"})
    assert response.context["page"].paginator.count == 1


def test_coordinator_merges_two_records_keeping_all_history(world, clients):
    agent = world.users["referent"]
    keep, absorb = make_person(by=agent), make_person(by=agent, email="a@exemple.test")
    services.contact_record(by=agent, person=absorb, kind="rdv", happened_at=timezone.now())
    services.frein_identify(by=agent, person=absorb, theme="logement")
    events = keep.timeline.count() + absorb.timeline.count()
    response = clients["coordinator"].post(
        reverse("pathways:merge"), {"keep": keep.public_id, "absorb": absorb.public_id}
    )
    assert response.status_code == 302
    keep = Person.objects.get(pk=keep.pk)
    assert not Person.objects.filter(pk=absorb.pk).exists()
    assert keep.contacts.count() == 1 and keep.freins.count() == 1 and keep.email == "a@exemple.test"
    assert keep.timeline.count() == events + 1 and keep.referent_history.filter(ended_at__isnull=True).count() == 1
    assert clients["referent"].post(reverse("pathways:merge"), {}).status_code == 403


def test_screens_show_the_french_message_of_a_refused_transition(world, clients, mission_locale):
    person = make_person(by=world.users["referent"])
    response = clients["referent"].post(
        reverse("pathways:handoff_new", args=[person.public_id]), {"to_structure": world.relais.pk, "reason": "x"}
    )
    assert response.status_code == 400 and "propre structure" in response.content.decode()
    response = clients["referent"].post(
        reverse("pathways:exit_new", args=[person.public_id]), {"exited_on": "2026-01-05", "situation": ""}
    )
    assert "situation de sortie" in response.content.decode()
    handoff = services.handoff_send(
        by=world.users["referent"], person=person, to_structure=mission_locale, reason="x", shared=[]
    )
    ml = login_client(world.users["ml_referent"])
    url = reverse("pathways:handoff_first_meeting", args=[person.public_id, handoff.public_id])
    assert "Accusez réception" in ml.post(url, {"met_on": "2026-01-05"}).content.decode()
    ack = reverse("pathways:handoff_acknowledge", args=[person.public_id, handoff.public_id])
    assert ml.post(ack).status_code == 302
    assert "déjà été accusée" in ml.post(ack).content.decode()
    api = ml.post(f"/api/v1/handoffs/{handoff.public_id}/acknowledge/")
    assert api.status_code == 400 and "déjà été accusée" in api.json()["detail"]
    assert Handoff.objects.get(pk=handoff.pk).state == "accusee"


def test_notifications_immediate_or_daily_digest(world, mission_locale, django_capture_on_commit_callbacks):
    preference_set(user=world.users["ml_referent"], mode="daily")
    person = make_person(by=world.users["referent"])
    with django_capture_on_commit_callbacks(execute=True):
        handoff = services.handoff_send(
            by=world.users["referent"], person=person, to_structure=mission_locale, reason="x", shared=[]
        )
    assert mail.outbox == [] and PendingNotification.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.handoff_refuse(by=world.users["ml_referent"], handoff=handoff, reason="Pas de place")
    assert {m.to[0] for m in mail.outbox} == {world.users["referent"].email, world.users["colleague"].email}
    assert "refusée" in mail.outbox[0].subject and person.first_name not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications", "digest")
    assert mail.outbox[-1].to == [world.users["ml_referent"].email] and "Résumé" in mail.outbox[-1].subject
    assert PendingNotification.objects.filter(sent_at__isnull=True).count() == 0


def test_rome_load_is_idempotent(db, capsys):
    call_command("rome", "load")
    codes, titles = RomeCode.objects.count(), RomeAppellation.objects.count()
    assert codes == 1584 and titles > 13000
    call_command("rome", "load")
    assert "0 ajout(s), 0 mise(s) à jour" in capsys.readouterr().out
    assert RomeCode.objects.count() == codes


def test_api_token_command_and_token_requests(world, capsys):
    person = make_person(by=world.users["referent"])
    call_command("api-token", world.users["referent"].email)
    key = capsys.readouterr().out.strip()
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/persons/").json()["results"][0]["id"] == str(person.public_id)
    created = client.post("/api/v1/persons/", {**FORM, "sex": "F"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "repere"
    patched = client.patch(
        f"/api/v1/persons/{created.json()['id']}/", {"phone": "0600000000"}, content_type="application/json"
    )
    assert patched.json()["phone"] == "0600000000"
    assert Client().get("/api/v1/persons/").status_code == 401
