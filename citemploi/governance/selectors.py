"""Reads of the steering pages, scoped to the viewer (``visible_to``), with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from citemploi.accounts.models import User
from citemploi.governance.models import (
    AgendaItem,
    Decision,
    DecisionState,
    Instance,
    InstanceKind,
    Invitation,
    Meeting,
    MeetingFeedKey,
    RoadmapAxis,
    RoadmapObjective,
    RoadmapVersion,
)
from citemploi.governance.services_decisions import CLOSED, is_late
from citemploi.pathways.models import Person


def instances_for(user: Any) -> QuerySet[Instance]:
    return Instance.objects.visible_to(user).prefetch_related("members__user", "members__structure")


def meeting_for(user: Any, public_id: Any) -> Meeting:
    """One meeting the user may see (else ``Meeting.DoesNotExist``, answered 404 by the page)."""
    meeting: Meeting = (
        Meeting.objects.visible_to(user)
        .select_related("instance")
        .prefetch_related(
            "instance__members",
            Prefetch("items", queryset=AgendaItem.objects.select_related("owner", "action")),
            Prefetch("invitations", queryset=Invitation.objects.select_related("user")),
            "documents",
            Prefetch("decisions", queryset=Decision.objects.select_related("owner", "owner_structure")),
        )
        .get(public_id=public_id)
    )
    return meeting


def people_names(user: Any, refs: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the people (by public id) the reader may see — the others stay anonymous. One query."""
    refs = list(refs)
    if not refs:
        return {}
    people = Person.objects.visible_to(user).filter(public_id__in=refs).only("public_id", "first_name", "last_name")
    return {p.public_id: f"{p.first_name} {p.last_name}".strip() for p in people}


#: An instance's follow-up section also lists the decisions of these kinds of instance: the COTECH carries out
#: what the COPIL decided (docs/governance.md).
FOLLOWS: dict[str, frozenset[str]] = {InstanceKind.COTECH: frozenset({InstanceKind.COPIL})}


def previous_decisions(meeting: Meeting) -> list[Decision]:
    """« Suites des décisions précédentes »: decisions of earlier meetings of the same instance (and, for a COTECH,
    of the COPIL) still open, or closed since the instance's previous meeting — late ones first."""
    followed = Q(instance_id=meeting.instance_id) | Q(instance__kind__in=FOLLOWS.get(meeting.instance.kind, ()))
    earlier = Meeting.objects.filter(followed, starts_at__lt=meeting.starts_at)
    own = Meeting.objects.filter(instance_id=meeting.instance_id, starts_at__lt=meeting.starts_at)
    last = own.order_by("-starts_at").values_list("starts_at", flat=True).first()
    decisions = Decision.objects.filter(meeting__in=earlier).select_related("meeting", "owner", "owner_structure")
    since = Q(closed_at__gte=last) if last is not None else Q()
    chosen = decisions.filter(Q(state__in=[DecisionState.TODO, DecisionState.DOING]) | (Q(state__in=CLOSED) & since))
    today = timezone.localdate()
    return sorted(chosen, key=lambda d: (not is_late(d, today), d.deadline or dt.date.max, d.pk))


@dataclass
class OwnerGroup:
    owner: str
    decisions: list[Decision] = field(default_factory=list)

    @property
    def late(self) -> int:
        return sum(1 for d in self.decisions if getattr(d, "late", False))


def board(user: Any, *, state: str = "open") -> list[OwnerGroup]:
    """The follow-up board: the decisions the user sees, by owner, late first. Two queries."""
    decisions = Decision.objects.visible_to(user).select_related("meeting__instance", "owner", "owner_structure")
    decisions = decisions.open() if state == "open" else decisions
    today = timezone.localdate()
    groups: dict[str, OwnerGroup] = {}
    for decision in decisions:
        decision.late = is_late(decision, today)
        owner = decision.owner.get_full_name() if decision.owner else ""
        name = decision.owner_structure.name if decision.owner_structure else owner
        groups.setdefault(name, OwnerGroup(name)).decisions.append(decision)
    for group in groups.values():
        group.decisions.sort(key=lambda d: (not getattr(d, "late", False), d.deadline or dt.date.max, d.pk))
    return sorted(groups.values(), key=lambda g: (-g.late, g.owner.casefold()))


def upcoming_meetings(user: Any, *, limit: int = 5) -> list[Meeting]:
    return list(
        Meeting.objects.visible_to(user)
        .filter(ends_at__gte=timezone.now(), cancelled=False)
        .select_related("instance")
        .order_by("starts_at")[:limit]
    )


# --- Roadmap ------------------------------------------------------------------------------------------------------


def roadmap_versions() -> QuerySet[RoadmapVersion]:
    return RoadmapVersion.objects.select_related("adopted_at", "decision")


def roadmap_tree(version: RoadmapVersion) -> list[RoadmapAxis]:
    """Axes → objectives → actions → targets of a version, in four queries."""
    return list(
        version.axes.prefetch_related(
            Prefetch(
                "objectives",
                queryset=RoadmapObjective.objects.prefetch_related("actions__targets", "actions__census_action"),
            )
        )
    )


@dataclass(frozen=True)
class Change:
    kind: str  # "ajout", "retrait", "modification"
    level: str  # "axe", "objectif", "action", "cible"
    ref: str
    before: str
    after: str


def _flatten(version: RoadmapVersion) -> dict[tuple[str, str], str]:
    items: dict[tuple[str, str], str] = {}
    for axis in roadmap_tree(version):
        items[("axe", axis.ref)] = axis.title
        for objective in axis.objectives.all():
            items[("objectif", f"{axis.ref}/{objective.ref}")] = objective.title
            for action in objective.actions.all():
                path = f"{axis.ref}/{objective.ref}/{action.ref}"
                items[("action", path)] = action.title
                for t in action.targets.all():
                    key = f"{path} · {t.indicator} {t.qpv_code or 'territoire'} {t.period_from}→{t.period_to}"
                    items[("cible", key)] = f"{t.value:g}"
    return items


def roadmap_diff(old: RoadmapVersion, new: RoadmapVersion) -> list[Change]:
    """What changed from ``old`` to ``new``, element by element (by ref), in the tree's order."""
    before, after = _flatten(old), _flatten(new)
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        level, ref = key
        if key not in after:
            changes.append(Change("retrait", level, ref, before[key], ""))
        elif key not in before:
            changes.append(Change("ajout", level, ref, "", after[key]))
        elif before[key] != after[key]:
            changes.append(Change("modification", level, ref, before[key], after[key]))
    return changes


# --- Personal feed ------------------------------------------------------------------------------------------------

FEED_SALT = "citemploi.governance.meetings-feed"


def _feed_version(user: User) -> int:
    return MeetingFeedKey.objects.filter(user=user).values_list("version", flat=True).first() or 0


def meeting_feed_token(user: User) -> str:
    """Signed (no expiry) token of the user's meetings feed, carrying the key version: regenerating revokes it."""
    return signing.Signer(salt=FEED_SALT).sign_object({"u": str(user.public_id), "v": _feed_version(user)})


def meeting_feed_owner(token: str) -> User | None:
    try:
        data = signing.Signer(salt=FEED_SALT).unsign_object(token)
        public_id, version = str(data["u"]), int(data["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None or _feed_version(user) != version:
        return None
    return user


def meetings_invited(user: User) -> QuerySet[Meeting]:
    """The meetings the user is invited to (the personal feed)."""
    return Meeting.objects.filter(invitations__user=user).select_related("instance").order_by("starts_at")
