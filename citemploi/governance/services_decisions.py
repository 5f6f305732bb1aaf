"""Decisions and their follow-up: ``à faire → en cours → fait | abandonné``, with comments (issue 14 §3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, User
from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.governance.models import Decision, DecisionComment, DecisionState, Meeting, Proposal, RoadmapAction
from citemploi.governance.permissions import can_move_decision, can_prepare, can_view_instance

#: The one place the follow-up's transitions are declared.
TRANSITIONS: dict[str, frozenset[str]] = {
    DecisionState.TODO: frozenset({DecisionState.DOING, DecisionState.DONE, DecisionState.DROPPED}),
    DecisionState.DOING: frozenset({DecisionState.TODO, DecisionState.DONE, DecisionState.DROPPED}),
    DecisionState.DONE: frozenset({DecisionState.DOING}),
    DecisionState.DROPPED: frozenset({DecisionState.TODO}),
}
CLOSED = frozenset({DecisionState.DONE, DecisionState.DROPPED})


@transaction.atomic
def decision_record(
    *,
    by: User,
    meeting: Meeting,
    text: str,
    owner_structure: Structure | None = None,
    owner: User | None = None,
    deadline: dt.date | None = None,
    roadmap_action: RoadmapAction | None = None,
    proposal: Proposal | None = None,
) -> Decision:
    """A decision taken at the meeting becomes a follow-up item « à faire »; it may adopt the proposed solution
    of an uncovered need (``needs.solutions.proposal_adopt``, in the same transaction: a refused adoption records
    no decision)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("instance").get(pk=meeting.pk)
    if not can_prepare(by, meeting.instance):
        raise PermissionDenied(_("Seules la coordination et la coprésidence consignent les décisions."))
    if not text.strip():
        raise ValidationFailed(_("Écrivez la décision."), field="text")
    if owner_structure is None and owner is None:
        raise ValidationFailed(_("Indiquez qui en est responsable (structure ou personne)."), field="owner_structure")
    if deadline is not None and deadline < timezone.localtime(meeting.starts_at).date():
        raise ValidationFailed(_("L'échéance ne peut précéder la réunion."), field="deadline")
    decision = Decision.objects.create(
        meeting=meeting,
        text=text.strip(),
        owner_structure=owner_structure,
        owner=owner,
        deadline=deadline,
        roadmap_action=roadmap_action,
        created_by=by,
    )
    if proposal is not None:
        from citemploi.governance.needs.solutions import proposal_adopt

        proposal_adopt(by=by, proposal=proposal, decision=decision)
    return decision


@transaction.atomic
def decision_follow(*, by: User, decision: Decision, state: str = "", comment: str = "") -> Decision:
    """Comment a decision (any member who sees it) and/or move it along (its owner or the coordinator)."""
    decision = Decision.objects.select_for_update(of=("self",)).select_related("meeting__instance").get(pk=decision.pk)
    if not can_view_instance(by, decision.meeting.instance):
        raise PermissionDenied(_("Vous ne suivez pas cette instance."))
    if not state and not comment.strip():
        raise ValidationFailed(_("Écrivez un commentaire ou choisissez un nouvel état."), field="comment")
    if state and state != decision.state:
        if not can_move_decision(by, decision):
            raise PermissionDenied(
                _("Seuls la personne ou la structure responsable et la coordination la font avancer.")
            )
        if state not in TRANSITIONS.get(decision.state, frozenset()):
            raise InvalidTransition(
                _("Passage impossible de « %(old)s » à « %(new)s ».")
                % {"old": decision.get_state_display(), "new": DecisionState(state).label}
            )
        decision.state = state
        decision.closed_at = timezone.now() if state in CLOSED else None
        decision.save(update_fields=["state", "closed_at", "updated_at"])
    else:
        state = ""
    DecisionComment.objects.create(decision=decision, author=by, text=comment.strip(), state_change=state)
    return decision


def is_late(decision: Decision, today: dt.date | None = None) -> bool:
    """Open and past its deadline."""
    today = today or timezone.localdate()
    return decision.state not in CLOSED and decision.deadline is not None and decision.deadline < today
