"""Solutions of an uncovered need (issue 15 §4): proposals through typed services (permissions, refusals change
nothing), adoption by a meeting's decision, the census action that carries it, the experiment's results on the
need's page — masked for the State co-pilot, never a name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.governance.models import Decision, Need, Proposal, RoadmapAction, RoadmapObjective
from citemploi.governance.needs.solutions import (
    ProposalFields,
    proposal_add,
    proposal_change,
    proposal_link_action,
    proposal_set_aside,
)
from citemploi.governance.services_decisions import decision_record
from citemploi.pathways.models import PersonRegistration
from tests.conftest import login_client
from tests.factories.governance import copil, meeting, roadmap_draft
from tests.factories.partners import ActionFactory, RegistrationFactory
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db

THEME = "mobilite--preparer-un-permis"


def _need(state: str = "qualifie", qpv: str = "QN04201M", thematique: str = THEME) -> Need:
    return Need.objects.create(thematique=thematique, qpv_code=qpv, state=state)


def _innovation_action() -> RoadmapAction:
    version = roadmap_draft()
    axis = version.axes.create(ref="3", title="Innover pour les besoins non couverts")
    objective = RoadmapObjective.objects.create(axis=axis, ref="3.1", title="Expérimenter")
    return RoadmapAction.objects.create(objective=objective, ref="3.1.a", title="Garde d'enfants")


def _first_axis_action() -> RoadmapAction:
    axis = roadmap_draft(number=9).axes.get()
    objective = RoadmapObjective.objects.create(axis=axis, ref="1.1", title="Recenser")
    return RoadmapAction.objects.create(objective=objective, ref="1.1.a", title="Annuaire")


def _propose(world, need: Need, **extra) -> Proposal:
    fields = ProposalFields(
        text="Auto-école sociale en pied d'immeuble",
        partners=[world.relais],
        cost=Decimal("12000"),
        roadmap_action=extra.pop("roadmap_action", None),
    )
    return proposal_add(by=world.users["coordinator"], need=need, fields=fields, **extra)


def test_the_coordinator_proposes_a_solution_and_the_need_moves_to_solution_proposee(world):
    need = _need()
    proposal = _propose(world, need, roadmap_action=_innovation_action())
    need.refresh_from_db()
    assert need.state == "solution_proposee"
    assert proposal.state == "proposee" and list(proposal.partners.all()) == [world.relais]
    assert proposal.cost == Decimal("12000") and proposal.roadmap_action.ref == "3.1.a"


@pytest.mark.parametrize("persona", ["state_copilot", "steering_member", "referent", "outsider", "admin"])
def test_only_the_coordinator_proposes(world, persona):
    need = _need()
    with pytest.raises(PermissionDenied):
        proposal_add(by=world.users[persona], need=need, fields=ProposalFields(text="Une idée"))
    need.refresh_from_db()
    assert need.state == "qualifie" and not Proposal.objects.exists()


@pytest.mark.parametrize(
    "fields, error",
    [
        (ProposalFields(text="   "), ValidationFailed),
        (ProposalFields(text="Navette", cost=Decimal("-1")), ValidationFailed),
    ],
)
def test_bad_input_is_refused_in_french_and_changes_nothing(world, fields, error):
    need = _need()
    with pytest.raises(error) as refused:
        proposal_add(by=world.users["coordinator"], need=need, fields=fields)
    assert refused.value.message[0].isupper()
    need.refresh_from_db()
    assert need.state == "qualifie" and not Proposal.objects.exists()


def test_the_roadmap_action_must_be_of_axis_3(world):
    need = _need()
    with pytest.raises(ValidationFailed) as refused:
        _propose(world, need, roadmap_action=_first_axis_action())
    assert "axe 3" in refused.value.message
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("state", ["signale", "couvert", "abandonne"])
def test_a_need_that_is_not_qualified_or_is_closed_gets_no_proposal(world, state):
    need = _need(state=state)
    with pytest.raises(InvalidTransition):
        _propose(world, need)
    assert not Proposal.objects.exists()


def test_a_decision_of_a_meeting_adopts_the_proposal(world):
    need = _need()
    proposal = _propose(world, need)
    held = meeting(copil(world), days=-3)
    decision = decision_record(
        by=world.users["state_copilot"],  # the COPIL's co-chair records decisions
        meeting=held,
        text="Expérimenter l'auto-école sociale",
        owner_structure=world.relais,
        proposal=proposal,
    )
    proposal.refresh_from_db()
    need.refresh_from_db()
    assert proposal.state == "adoptee" and proposal.decision == decision
    assert need.state == "solution_proposee"  # no census action yet: not an experiment


def test_adoption_with_the_census_action_linked_starts_the_experiment(world):
    need = _need()
    action = ActionFactory(carrier=world.relais, axis=3)
    proposal = _propose(world, need, census_action=action)
    held = meeting(copil(world), days=-3)
    decision_record(
        by=world.users["coordinator"], meeting=held, text="Adopter", owner_structure=world.relais, proposal=proposal
    )
    proposal.refresh_from_db()
    need.refresh_from_db()
    assert proposal.state == "experimentee" and need.state == "experimente"


def test_a_member_who_does_not_prepare_the_meeting_adopts_nothing(world):
    need = _need()
    proposal = _propose(world, need)
    held = meeting(copil(world), days=-3)
    with pytest.raises(PermissionDenied):
        decision_record(
            by=world.users["steering_member"], meeting=held, text="x", owner_structure=world.relais, proposal=proposal
        )
    proposal.refresh_from_db()
    assert proposal.state == "proposee" and proposal.decision is None and not Decision.objects.exists()


def test_a_proposal_is_adopted_once_and_the_second_decision_is_not_recorded(world):
    need = _need()
    proposal = _propose(world, need)
    held = meeting(copil(world), days=-3)
    coordinator = world.users["coordinator"]
    first = decision_record(by=coordinator, meeting=held, text="1", owner_structure=world.relais, proposal=proposal)
    with pytest.raises(InvalidTransition):
        decision_record(by=coordinator, meeting=held, text="2", owner_structure=world.relais, proposal=proposal)
    assert list(Decision.objects.all()) == [first]
    proposal.refresh_from_db()
    assert proposal.decision == first


def test_a_partner_involved_links_the_action_its_structure_carries(world):
    need = _need()
    proposal = _propose(world, need)
    held = meeting(copil(world), days=-3)
    decision_record(
        by=world.users["coordinator"], meeting=held, text="Adopter", owner_structure=world.relais, proposal=proposal
    )
    foreign = ActionFactory(carrier=world.other_relais, axis=3)
    with pytest.raises(PermissionDenied):
        proposal_link_action(by=world.users["referent"], proposal=proposal, census_action=foreign)
    with pytest.raises(PermissionDenied):  # not a partner of this proposal
        proposal_link_action(by=world.users["outsider"], proposal=proposal, census_action=foreign)
    proposal.refresh_from_db()
    assert proposal.census_action is None and proposal.state == "adoptee"
    own = ActionFactory(carrier=world.relais, axis=3)
    proposal_link_action(by=world.users["referent"], proposal=proposal, census_action=own)
    proposal.refresh_from_db()
    need.refresh_from_db()
    assert proposal.census_action == own and proposal.state == "experimentee" and need.state == "experimente"


def test_only_the_coordinator_edits_and_sets_aside(world):
    need = _need()
    proposal = _propose(world, need)
    with pytest.raises(PermissionDenied):
        proposal_change(by=world.users["referent"], proposal=proposal, fields=ProposalFields(text="Autre"))
    with pytest.raises(PermissionDenied):
        proposal_set_aside(by=world.users["referent"], proposal=proposal)
    proposal_change(
        by=world.users["coordinator"], proposal=proposal, fields=ProposalFields(text="Autre", cost=Decimal("5"))
    )
    proposal_set_aside(by=world.users["coordinator"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.text == "Autre" and proposal.cost == Decimal("5") and proposal.state == "ecartee"
    assert list(proposal.partners.all()) == []
    with pytest.raises(InvalidTransition):
        proposal_change(by=world.users["coordinator"], proposal=proposal, fields=ProposalFields(text="Encore"))


# --- the experiment's results on the need's page --------------------------------------------------------------


def _experiment(world, participants: int) -> tuple[Need, list]:
    need = _need()
    action = ActionFactory(carrier=world.relais, axis=3, starts_on=dt.date.today() - dt.timedelta(days=30))
    proposal = _propose(world, need, census_action=action)
    held = meeting(copil(world), days=-20)
    decision_record(
        by=world.users["coordinator"], meeting=held, text="Adopter", owner_structure=world.relais, proposal=proposal
    )
    people = []
    for n in range(participants):
        person = make_person(by=world.users["referent"], last_name=f"Participante{n}")
        registration = RegistrationFactory(action=action, first_name=person.first_name, last_name=person.last_name)
        PersonRegistration.objects.create(person=person, registration=registration)
        people.append(person)
    return need, people


def _page(world, persona: str, need: Need) -> str:
    response = login_client(world.users[persona]).get(f"/pilotage/besoins/{need.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_reads_the_experiment_unmasked_and_the_state_copilot_masked(world):
    need, people = _experiment(world, 3)
    coordinator = _page(world, "coordinator", need)
    assert "Résultats de l'expérimentation" in coordinator
    assert 'Personnes ayant participé</th><td class="text-end">3</td>' in coordinator
    state = _page(world, "state_copilot", need)
    assert 'Personnes ayant participé</th><td class="text-end">&lt; 6</td>' in state
    assert "Secret statistique" in state
    for html in (coordinator, state):
        assert not any(p.last_name in html for p in people)


def test_a_large_enough_experiment_is_shown_to_the_state_copilot(world):
    need, _people = _experiment(world, 7)
    state = _page(world, "state_copilot", need)
    assert 'Personnes ayant participé</th><td class="text-end">7</td>' in state


def _register(world, action, n: int) -> None:
    for i in range(n):
        person = make_person(by=world.users["referent"], last_name=f"Inscrite{i}")
        registration = RegistrationFactory(action=action, first_name=person.first_name, last_name=person.last_name)
        PersonRegistration.objects.create(person=person, registration=registration)


@pytest.mark.parametrize("persona", ["coordinator", "state_copilot", "referent"])
def test_the_need_page_reads_the_same_number_of_queries_at_two_sizes(world, persona):
    need, _people = _experiment(world, 2)
    action = need.proposals.get().census_action
    client = login_client(world.users[persona])
    counts = []
    for more in (0, 1):
        if more:
            _register(world, action, 10)
            for _n in range(3):
                _propose(world, need).partners.add(world.other_relais)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/pilotage/besoins/{need.public_id}/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_meeting_page_lists_the_solutions_its_decisions_adopted(world):
    need = _need()
    proposal = _propose(world, need)
    held = meeting(copil(world), days=-3)
    decision_record(
        by=world.users["coordinator"], meeting=held, text="Adopter", owner_structure=world.relais, proposal=proposal
    )
    html = login_client(world.users["steering_member"]).get(f"/pilotage/reunions/{held.public_id}/").content.decode()
    assert "Solutions adoptées à cette réunion" in html and f"/pilotage/besoins/{need.public_id}/" in html


def test_the_meeting_form_adopts_a_proposal(world):
    need = _need()
    proposal = _propose(world, need)
    held = meeting(copil(world), days=-3)
    response = login_client(world.users["coordinator"]).post(
        f"/pilotage/reunions/{held.public_id}/decisions/",
        {"decision-text": "Adopter l'auto-école", "decision-owner_structure": world.relais.pk,
         "decision-proposal": proposal.pk},
    )  # fmt: skip
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "adoptee" and proposal.decision.text == "Adopter l'auto-école"
