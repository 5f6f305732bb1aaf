"""Solutions for an uncovered need (issue 15 §4): proposals, their adoption by a meeting's decision, the experiment.

Who does what (``governance/permissions.py``, block « solutions »):
- the coordinator proposes a solution on a qualified need, edits it (text, partners involved, cost, roadmap action
  of axis 3) and sets it aside;
- the coordinator, or a member of a partner structure involved in the proposal, links the census action that
  carries it once the action exists (a partner only an action its structure carries or takes part in);
- a proposal is adopted only by a decision of a meeting (``services_decisions.decision_record(proposal=…)``),
  recorded by those who prepare that meeting (the coordinator, the instance's co-chairs).

Lifecycle (``needs/states.py``, declared once): proposing moves a qualified need to « solution proposée »; an adopted
proposal with its census action is an experiment: adoption (when the action is already linked) or linking the action
of an adopted proposal moves the proposal to « expérimentée » and the need to « expérimenté ». Every service is
atomic and checks first: a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, User
from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.governance.models import Decision, Need, Proposal, RoadmapAction
from citemploi.governance.needs.states import NEED_TRANSITIONS, PROPOSAL_TRANSITIONS, NeedState, ProposalState
from citemploi.governance.permissions import can_link_census_action, can_prepare, can_propose_solution
from citemploi.partners.models import Action

#: A need receives proposals once qualified, and while its solution is being found or tried.
PROPOSABLE = frozenset({NeedState.QUALIFIED, NeedState.SOLUTION_PROPOSED, NeedState.EXPERIMENTED})
#: The roadmap's axis of the innovations (« innover pour les besoins non couverts »): its ref starts with « 3 ».
INNOVATION_AXIS = "3"


@dataclass(frozen=True)
class ProposalFields:
    """What the coordinator writes on a proposal (all of it, each time)."""

    text: str
    partners: Sequence[Structure] = ()
    cost: Decimal | None = None
    roadmap_action: RoadmapAction | None = None


def _clean(fields: ProposalFields) -> ProposalFields:
    text = fields.text.strip()
    if not text:
        raise ValidationFailed(_("Décrivez la solution proposée."), field="text")
    if fields.cost is not None and fields.cost < 0:
        raise ValidationFailed(_("Le coût ne peut être négatif."), field="cost")
    action = fields.roadmap_action
    if action is not None and action.objective.axis.ref.split(".")[0] != INNOVATION_AXIS:
        raise ValidationFailed(
            _("Choisissez une action de l'axe 3 de la feuille de route (besoins non couverts)."),
            field="roadmap_action",
        )
    return ProposalFields(text, list(fields.partners), fields.cost, action)


def _move_need(need: Need, state: str) -> None:
    """Move the (locked) need along its declared lifecycle; staying in the same state is not a move."""
    if need.state == state:
        return
    if state not in NEED_TRANSITIONS.get(need.state, frozenset()):
        raise InvalidTransition(
            _("Le besoin ne peut passer de « %(old)s » à « %(new)s ».")
            % {"old": need.get_state_display(), "new": NeedState(state).label}
        )
    need.state = state
    need.state_changed_at = timezone.now()
    need.save(update_fields=["state", "state_changed_at", "updated_at"])


def _move_proposal(proposal: Proposal, state: str) -> None:
    if state not in PROPOSAL_TRANSITIONS.get(proposal.state, frozenset()):
        raise InvalidTransition(
            _("La proposition ne peut passer de « %(old)s » à « %(new)s ».")
            % {"old": proposal.get_state_display(), "new": ProposalState(state).label}
        )
    proposal.state = state


def _locked(proposal: Proposal) -> tuple[Proposal, Need]:
    locked = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    need = Need.objects.select_for_update(of=("self",)).get(pk=locked.need_id)
    return locked, need


@transaction.atomic
def proposal_add(*, by: User, need: Need, fields: ProposalFields, census_action: Action | None = None) -> Proposal:
    """A proposed solution for a qualified need; the need moves to « solution proposée »."""
    if not can_propose_solution(by):
        raise PermissionDenied(_("Seule la coordination propose des solutions."))
    need = Need.objects.select_for_update(of=("self",)).get(pk=need.pk)
    if need.state not in PROPOSABLE:
        raise InvalidTransition(
            _("Qualifiez d'abord le besoin : une solution se propose sur un besoin qualifié et encore ouvert.")
        )
    fields = _clean(fields)
    if need.state == NeedState.QUALIFIED:
        _move_need(need, NeedState.SOLUTION_PROPOSED)
    proposal = Proposal.objects.create(
        need=need,
        text=fields.text,
        cost=fields.cost,
        roadmap_action=fields.roadmap_action,
        census_action=census_action,
        created_by=by,
    )
    proposal.partners.set(fields.partners)
    return proposal


@transaction.atomic
def proposal_change(*, by: User, proposal: Proposal, fields: ProposalFields) -> Proposal:
    """Edit a proposal that is not set aside (text, partners, cost, roadmap action): the coordinator."""
    if not can_propose_solution(by):
        raise PermissionDenied(_("Seule la coordination modifie les propositions."))
    proposal, _need = _locked(proposal)
    if proposal.state == ProposalState.SET_ASIDE:
        raise InvalidTransition(_("Cette proposition est écartée : elle ne se modifie plus."))
    fields = _clean(fields)
    proposal.text, proposal.cost, proposal.roadmap_action = fields.text, fields.cost, fields.roadmap_action
    proposal.save(update_fields=["text", "cost", "roadmap_action", "updated_at"])
    proposal.partners.set(fields.partners)
    return proposal


@transaction.atomic
def proposal_link_action(*, by: User, proposal: Proposal, census_action: Action | None) -> Proposal:
    """Link (or unlink) the census action that carries the proposal. An adopted proposal linked to its action
    becomes an experiment: « expérimentée », and its need « expérimenté »."""
    proposal, need = _locked(proposal)
    if not can_link_census_action(by, proposal, census_action):
        raise PermissionDenied(
            _("La coordination, ou un partenaire associé pour une action que sa structure porte, lie l'action.")
        )
    if proposal.state == ProposalState.SET_ASIDE:
        raise InvalidTransition(_("Cette proposition est écartée : elle ne se modifie plus."))
    if census_action is None and proposal.state == ProposalState.EXPERIMENTED:
        raise InvalidTransition(_("L'expérimentation a commencé : son action du recensement reste liée."))
    proposal.census_action = census_action
    fields = ["census_action", "updated_at"]
    if census_action is not None and proposal.state == ProposalState.ADOPTED:
        _start_experiment(proposal, need)
        fields.append("state")
    proposal.save(update_fields=fields)
    return proposal


@transaction.atomic
def proposal_set_aside(*, by: User, proposal: Proposal) -> Proposal:
    """Set a proposal aside (not retained, or its experiment stopped): the coordinator. The need keeps its state;
    the coordinator moves it on the register if nothing else is tried."""
    if not can_propose_solution(by):
        raise PermissionDenied(_("Seule la coordination écarte une proposition."))
    proposal, _need = _locked(proposal)
    _move_proposal(proposal, ProposalState.SET_ASIDE)
    proposal.save(update_fields=["state", "updated_at"])
    return proposal


def _start_experiment(proposal: Proposal, need: Need) -> None:
    _move_proposal(proposal, ProposalState.EXPERIMENTED)
    if need.state == NeedState.QUALIFIED:
        _move_need(need, NeedState.SOLUTION_PROPOSED)
    _move_need(need, NeedState.EXPERIMENTED)


@transaction.atomic
def proposal_adopt(*, by: User, proposal: Proposal, decision: Decision) -> Proposal:
    """Adopt the proposal by ``decision`` (called by ``decision_record``): « adoptée », or straight to
    « expérimentée » (and the need « expérimenté ») when its census action is already linked."""
    decision = Decision.objects.select_related("meeting__instance").get(pk=decision.pk)
    if not can_prepare(by, decision.meeting.instance):
        raise PermissionDenied(_("Seules la coordination et la coprésidence consignent les décisions."))
    proposal, need = _locked(proposal)
    if need.state not in PROPOSABLE:
        raise InvalidTransition(_("Ce besoin est clos : aucune proposition ne peut plus y être adoptée."))
    _move_proposal(proposal, ProposalState.ADOPTED)
    proposal.decision = decision
    if proposal.census_action_id is not None:
        _start_experiment(proposal, need)
    elif need.state == NeedState.QUALIFIED:
        _move_need(need, NeedState.SOLUTION_PROPOSED)
    proposal.save(update_fields=["state", "decision", "updated_at"])
    return proposal
