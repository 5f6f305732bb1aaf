"""Shared pieces of the pathways services: the acting structure, timeline events, pathway moves."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citemploi.accounts.models import Structure, User
from citemploi.core.errors import Conflict, PermissionDenied
from citemploi.pathways.models import MergedRecord, Pathway, Person, TimelineEvent
from citemploi.pathways.permissions import Sight, can_edit_person, sight_of
from citemploi.pathways.replay import replay_note
from citemploi.pathways.states import InvalidTransition, PathwayState, allowed_targets, check_transition

Visibility = TimelineEvent.Visibility


def own_structure(user: User, message: str | None = None) -> Structure:
    """The structure ``user`` acts for; refused (French message, nothing changed) when they belong to none."""
    structure = user.primary_structure
    if structure is None:
        raise InvalidTransition(message or _("Votre compte n'est rattaché à aucune structure."))
    return structure


def event(
    *,
    person: Person,
    kind: str,
    label: str,
    by: User | None,
    structure: Structure | None = None,
    visibility: str = Visibility.SHARED,
    at: datetime | None = None,
) -> TimelineEvent:
    """Write one line of the timeline (labels never carry notes nor sensitive facts unless marked so). Inside a
    replay of past events (``citemploi.pathways.replay``) the line ends with the replay's note."""
    line = event_row(person=person, kind=kind, label=label, by=by, structure=structure, visibility=visibility, at=at)
    line.save(force_insert=True)
    return line


def event_row(
    *,
    person: Person,
    kind: str,
    label: str,
    by: User | None,
    structure: Structure | None = None,
    visibility: str = Visibility.SHARED,
    at: datetime | None = None,
) -> TimelineEvent:
    """The line ``event`` writes, not saved (the batch paths insert many at once)."""
    note = replay_note()
    if note:
        suffix = f" — {note}"
        label = label[: 300 - len(suffix)] + suffix
    return TimelineEvent(
        person=person,
        kind=kind,
        label=label[:300],
        actor=by,
        structure=structure if structure is not None else (by.primary_structure if by else None),
        visibility=visibility,
        at=at or timezone.now(),
    )


def locked_pathway(person: Person) -> Pathway:
    """The person's pathway, locked for the rest of the transaction (two users may act at once). A record merged
    (or deleted) since the caller read it raises ``PersonMerged`` (or ``Conflict``) instead of a 500."""
    pathway = Pathway.objects.select_for_update(of=("self",)).filter(person_id=person.pk).first()
    if pathway is None:
        raise person_gone(person)
    return pathway


class PersonMerged(Conflict):  # noqa: N818 — one of the Conflict family
    """The record was absorbed by a merge meanwhile: nothing was written; ``into`` is the kept record (shown as a
    link). ``into_visible`` says whether the actor may open it (its name is shown only then)."""

    def __init__(self, *, into: Person, into_visible: bool) -> None:
        self.into, self.into_visible = into, into_visible
        if into_visible:
            message = _(
                "Cette fiche a été fusionnée avec la fiche de %(person)s : vos modifications n'ont pas été "
                "enregistrées. Reprenez-les sur cette fiche."
            ) % {"person": into}
        else:
            message = _(
                "Cette fiche a été fusionnée avec une autre fiche : vos modifications n'ont pas été enregistrées."
            )
        super().__init__(message)


def person_gone(person: Person, *, by: User | None = None) -> Conflict:
    """The error of a write on a record that no longer exists: merged (naming the kept record, by name only to
    ``by`` when they may see it) or deleted."""
    trail = MergedRecord.objects.select_related("into").filter(absorbed_id=person.public_id).first()
    if trail is None:
        return Conflict(_("Cette fiche n'existe plus : vos modifications n'ont pas été enregistrées."))
    visible = by is not None and Person.objects.visible_to(by).filter(pk=trail.into_id).exists()
    return PersonMerged(into=trail.into, into_visible=visible)


def move_pathway(
    pathway: Pathway,
    target: str,
    *,
    by: User | None,
    strict: bool = True,
    reason: str = "",
    at: datetime | None = None,
) -> bool:
    """Move the pathway to ``target``. With ``strict=False`` an impossible move is skipped silently (automatic
    advances, e.g. the first contact moves a spotted person to « contacté »). ``reason`` goes in the timeline.
    ``at`` is the moment of the move when it happened earlier than now (a past event taken over: its real date)."""
    if not strict and target not in allowed_targets("pathway", pathway.state):
        return False
    check_transition("pathway", pathway.state, target)
    entering = pathway.state == PathwayState.SPOTTED and target == PathwayState.CONTACTED
    before = pathway.get_state_display()
    moment = at or timezone.now()
    pathway.state = target
    pathway.state_changed_at = moment
    fields = ["state", "state_changed_at", "updated_at"]
    if target == PathwayState.IN_PATHWAY and pathway.entered_on is None:
        pathway.entered_on = timezone.localdate(moment)
        fields.append("entered_on")
    pathway.save(update_fields=fields)
    if entering:  # the entry into the pathway: its QPV answer is kept, whatever the address becomes later
        from citemploi.pathways.services.locating import qpv_entry_record

        contact = pathway.last_contact_at
        qpv_entry_record(person_id=pathway.person_id, on=timezone.localdate(contact or moment))
    event(
        person=pathway.person,
        kind="pathway.state",
        label=f"Parcours : {before} → {pathway.get_state_display()}" + (f" — motif : {reason}" if reason else ""),
        by=by,
        at=moment,
    )
    return True


def require(condition: bool, message: str) -> None:
    """Refuse a business rule with a French message (same error type as a forbidden transition)."""
    if not condition:
        raise InvalidTransition(message)


Service = TypeVar("Service", bound=Callable[..., Any])


def guarded(rule: Callable[..., bool], message: str | Promise) -> Callable[[Service], Service]:
    """Check, before anything else, that the actor may call the service: ``rule`` receives the service's keyword
    arguments (services are keyword-only) and a refusal raises ``PermissionDenied`` with ``message``. The web and
    the API check the same rule to show or hide the action; this is the check that holds for every caller."""

    def decorate(service: Service) -> Service:
        @functools.wraps(service)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not rule(**kwargs):
                raise PermissionDenied(str(message))
            return service(*args, **kwargs)

        return cast(Service, checked)

    return decorate


def sees(by: User, person: Person, rule: Callable[[User, Sight], bool]) -> bool:
    """``rule`` holds for the actor's sight of the person. A record deleted meanwhile (merged) passes here: the
    service itself then says what became of it (``person_gone``)."""
    try:
        sight = sight_of(by, person)
    except Person.pathway.RelatedObjectDoesNotExist:
        return True
    return rule(by, sight)


def edits(by: User, person: Person) -> bool:
    """The actor may change this person's record: the referent's structure or the coordinator (full sight)."""
    return sees(by, person, can_edit_person)


#: The message of a refused change on a record the actor sees (only its referent's structure may change it).
REFERENT_ONLY = gettext_lazy("Seule la structure référente peut modifier cette fiche.")
