"""Authorization lives in the services (issue 9 §19): each pathways service refuses an actor who may not do what it
does, whoever calls it; who may be named referent is a service rule; the pages and the API answer the same way
(404 for a record the caller may not see, 403 for an action it may not take on a record it sees), and domain errors
are mapped to HTTP in one place per layer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from citemploi.accounts.models import Role
from citemploi.api.errors import exception_handler
from citemploi.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from citemploi.pathways import services
from citemploi.pathways.models import Person
from tests.conftest import login_client
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.pathways import make_person, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(world, mission_locale):
    agent = world.users["referent"]
    person = make_person(by=agent)
    cej = services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale)
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=["schemes"]
    )
    frein = services.frein_identify(by=agent, person=person, theme="mobilite")
    return {"person": person, "handoff": handoff, "cej": cej, "frein": frein}


def _calls(h):
    """One call of every pathways service that changes a person's record, on the handed-off record."""
    p, today, now = h["person"], dt.date.today(), timezone.now()
    return {
        "person_update": lambda by: services.person_update(by=by, person=p, first_name="Piraté"),
        "notice_record": lambda by: services.notice_record(by=by, person=p, informed_on=today, notice_version="v1"),
        "consent_give": lambda by: services.consent_give(by=by, person=p, partner=by.primary_structure, given_on=today),
        "referent_assign": lambda by: services.referent_assign(by=by, person=p, referent=by),
        "pathway_transition": lambda by: services.pathway_transition(by=by, person=p, target="perdu_de_vue"),
        "frein_identify": lambda by: services.frein_identify(by=by, person=p, theme="sante"),
        "frein_transition": lambda by: services.frein_transition(by=by, frein=h["frein"], target="leve"),
        "mobilisation_propose": lambda by: services.mobilisation_propose(
            by=by, person=p, scheme=scheme("pec"), structure=h["handoff"].to_structure
        ),
        "mobilisation_transition": lambda by: services.mobilisation_transition(
            by=by, mobilisation=h["cej"], target="refusee"
        ),
        "handoff_send": lambda by: services.handoff_send(
            by=by, person=p, to_structure=StructureFactory(), reason="x", shared=[]
        ),
        "handoff_acknowledge": lambda by: services.handoff_acknowledge(by=by, handoff=h["handoff"]),
        "handoff_refuse": lambda by: services.handoff_refuse(by=by, handoff=h["handoff"], reason="non"),
        "contact_record": lambda by: services.contact_record(by=by, person=p, kind="rdv", happened_at=now),
        "exit_record": lambda by: services.exit_record(by=by, person=p, exited_on=today, situation="cdi"),
        "person_merge": lambda by: services.person_merge(by=by, keep=p, absorb=make_person(by=by)),
    }


#: Who, besides the outsider, may not call each service: the receiving structure (shared sight) may answer the
#: hand-off, but not the others; the referent's structure may do everything except answering its own hand-off.
REFUSED = {
    "outsider": set(
        [
            "person_update",
            "notice_record",
            "consent_give",
            "referent_assign",
            "pathway_transition",
            "frein_identify",
            "frein_transition",
            "mobilisation_propose",
            "mobilisation_transition",
            "handoff_send",
            "handoff_acknowledge",
            "handoff_refuse",
            "contact_record",
            "exit_record",
            "person_merge",
        ]
    ),
    "ml_referent": set(
        [
            "person_update",
            "notice_record",
            "consent_give",
            "referent_assign",
            "pathway_transition",
            "frein_identify",
            "frein_transition",
            "mobilisation_propose",
            # not "mobilisation_transition": the Mission Locale runs the CEJ (it is in charge) and may move it
            "handoff_send",
            "contact_record",
            "exit_record",
            "person_merge",
        ]
    ),
    # The colleague's structure follows both records: it may merge them (can_merge_records).
    "colleague": {"handoff_acknowledge", "handoff_refuse"},
}


@pytest.mark.parametrize(
    ("persona", "service"), [(persona, name) for persona, names in REFUSED.items() for name in sorted(names)]
)
def test_each_service_refuses_an_actor_who_may_not_do_it_and_changes_nothing(world, handed, persona, service):
    actor = world.users[persona]
    person = handed["person"]
    before = (person.timeline.count(), Person.objects.count())
    # A merge with a record the actor cannot open answers like a missing record (404), never merges.
    refusal = NotFound if (persona, service) == ("outsider", "person_merge") else PermissionDenied
    with pytest.raises(refusal):
        _calls(handed)[service](actor)
    assert (person.timeline.count(), Person.objects.count() - (service == "person_merge")) == before


def test_the_services_still_do_their_job_for_those_allowed(world, handed):
    ml = world.users["ml_referent"]
    services.handoff_acknowledge(by=ml, handoff=handed["handoff"])
    services.contact_record(by=ml, person=handed["person"], kind="rdv", happened_at=timezone.now())  # in caseload
    services.frein_identify(by=world.users["colleague"], person=handed["person"], theme="sante")
    services.pathway_transition(
        by=world.users["coordinator"], person=handed["person"], target="perdu_de_vue", reason="Plus de nouvelles"
    )


def test_person_register_needs_a_casework_role_in_that_structure(world):
    kwargs = {"channel": "permanence", "spotted_on": dt.date.today(), "locate": False, "first_name": "A"}
    with pytest.raises(PermissionDenied):
        services.person_register(by=world.users["outsider"], structure=world.relais, last_name="B", **kwargs)
    with pytest.raises(PermissionDenied):
        services.person_register(by=world.users["admin"], structure=world.coordination, last_name="B", **kwargs)
    assert not Person.objects.exists()


# --- Who may be named referent ---------------------------------------------------------------------------------


def test_a_caseworker_names_only_a_referent_of_their_own_structures(world):
    person = make_person(by=world.users["referent"])
    for referent in (world.users["outsider"], world.users["state_copilot"], world.users["coordinator"]):
        with pytest.raises(PermissionDenied, match="ne peut pas être désigné référent"):
            services.referent_assign(by=world.users["referent"], person=person, referent=referent)
    person.pathway.refresh_from_db()
    assert (person.pathway.referent, person.pathway.structure) == (world.users["referent"], world.relais)
    services.referent_assign(by=world.users["referent"], person=person, referent=world.users["colleague"])
    person.pathway.refresh_from_db()
    assert (person.pathway.referent, person.pathway.structure) == (world.users["colleague"], world.relais)
    assert not person.timeline.filter(kind="referent.moved").exists()


def test_naming_a_referent_of_another_structure_moves_the_record_there(world):
    person = make_person(by=world.users["referent"])
    services.referent_assign(by=world.users["coordinator"], person=person, referent=world.users["outsider"])
    person.pathway.refresh_from_db()
    assert (person.pathway.referent, person.pathway.structure) == (world.users["outsider"], world.other_relais)
    moved = person.timeline.get(kind="referent.moved")
    assert moved.label == f"Fiche transférée de {world.relais} à {world.other_relais}"
    # The record left the relais: its agents no longer see it; the new structure does.
    assert not Person.objects.visible_to(world.users["referent"]).filter(pk=person.pk).exists()
    assert Person.objects.visible_to(world.users["outsider"]).filter(pk=person.pk).exists()


def test_an_inactive_or_non_casework_account_is_never_named(world):
    person = make_person(by=world.users["referent"])
    gone = user_with_role(Role.RELAIS_AGENT, world.relais, email="partie@exemple.test", is_active=False)
    for referent in (gone, world.users["admin"]):
        with pytest.raises(PermissionDenied):
            services.referent_assign(by=world.users["coordinator"], person=person, referent=referent)


def test_the_referent_form_refusal_is_shown_on_the_form(world):
    person = make_person(by=world.users["referent"])
    client = login_client(world.users["referent"])
    url = reverse("pathways:referent", args=[person.public_id])
    response = client.post(url, {"referent": world.users["outsider"].pk})
    assert response.status_code == 400  # the form's own choice list already refuses it


# --- One mapping per layer, the same answers in both ----------------------------------------------------------


def test_a_record_seen_but_an_action_refused_is_403_in_both_layers(world, handed):
    """The receiving structure sees the shared subset (200), may not edit (403), and the outsider sees nothing (404),
    in the pages and in the API alike."""
    p = handed["person"].public_id
    ml, outsider = login_client(world.users["ml_referent"]), login_client(world.users["outsider"])
    edit = reverse("pathways:person_edit", args=[p])
    assert (ml.get(edit).status_code, outsider.get(edit).status_code) == (403, 404)
    api = f"/api/v1/persons/{p}/"
    answers = [c.patch(api, {"first_name": "X"}, content_type="application/json").status_code for c in (ml, outsider)]
    assert answers == [403, 404]
    # The sender may not answer its own hand-off: 403 in both layers, with the service's message in the API.
    referent = login_client(world.users["referent"])
    h = handed["handoff"].public_id
    web = reverse("pathways:handoff_acknowledge", kwargs={"public_id": p, "handoff_id": h})
    assert referent.post(web).status_code == 403
    refused = referent.post(f"/api/v1/handoffs/{h}/acknowledge/")
    assert refused.status_code == 403 and "destinataire" in refused.json()["detail"]


def test_a_refused_transition_is_400_with_its_message_in_the_api(world, handed):
    client = login_client(world.users["referent"])
    m = handed["cej"].public_id
    answer = client.post(f"/api/v1/mobilisations/{m}/transition/", {"target": "sortie"})
    assert answer.status_code == 400
    assert answer.json() == {"detail": "Impossible de passer la mobilisation de « proposée » à « sortie »."}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (PermissionDenied("non"), 403),
        (Conflict("non"), 409),
        (InvalidTransition("non"), 400),
        (ValidationFailed("non"), 400),
    ],
)
def test_the_api_handler_maps_each_domain_error(error, status):
    response = exception_handler(error, {})
    assert response is not None
    assert (response.status_code, response.data) == (status, {"detail": "non"})


def test_the_pages_map_a_domain_error_once(world, handed):
    """A refused POST comes back to the page it was posted from with the French message; a refused action is the
    designed 403 page, with the service's message."""
    from citemploi.www.site.errors import DomainErrorMiddleware

    middleware = DomainErrorMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    client = login_client(world.users["referent"])
    page = reverse("pathways:person", args=[handed["person"].public_id])
    response = client.post(  # the record has no address: the service refuses to locate it
        reverse("pathways:person_relocate", args=[handed["person"].public_id]),
        headers={"referer": f"http://testserver{page}"},
    )
    assert (response.status_code, response.url) == (303, f"http://testserver{page}")
    assert "Aucune adresse à localiser" in [str(m) for m in get_messages(response.wsgi_request)][-1]
    request = RequestFactory().get("/personnes/")
    request.user = world.users["referent"]
    denied = middleware.process_exception(request, PermissionDenied("Seule la coordination peut le faire."))
    assert denied is not None and denied.status_code == 403
    assert "Seule la coordination peut le faire." in denied.content.decode()
    assert middleware.process_exception(request, ValueError("pas un refus")) is None
