"""Scoped reads of people (DESIGN.md §3.2): a user only ever lists the people they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from citemploi.accounts.permissions import is_caseworker, is_coordinator
from citemploi.pathways.choices import HandoffShare
from citemploi.pathways.states import CASELOAD_HANDOFF_STATES, LIVE_HANDOFF_STATES

if TYPE_CHECKING:
    from citemploi.accounts.models import User
    from citemploi.pathways.models import Contact, FollowUp, Handoff, Mobilisation, Person  # noqa: F401 — type arguments


def _handoffs_to(structure_ids: Any, states: frozenset[str]) -> Exists:
    handoff = apps.get_model("pathways", "Handoff")
    return Exists(handoff.objects.filter(person=OuterRef("pk"), to_structure_id__in=structure_ids, state__in=states))


def _reachable(structure_ids: list[int], states: frozenset[str]) -> Q:
    """People whose referent structure is one of ``structure_ids``, or handed to one of them (``states``): each
    branch an ``id IN (…)`` over an index (pathway by structure, hand-off by recipient), so that the planner of
    SQLite and of PostgreSQL reads the list's own index and probes them, instead of one ``OR EXISTS`` evaluated
    over the whole table (issue 16 §5)."""
    pathway, handoff = apps.get_model("pathways", "Pathway"), apps.get_model("pathways", "Handoff")
    referent = pathway.objects.filter(structure_id__in=structure_ids).values("person_id")
    handed = handoff.objects.filter(to_structure_id__in=structure_ids, state__in=states).values("person_id")
    return Q(pk__in=referent) | Q(pk__in=handed)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User | Any) -> PersonQuerySet:
        """People ``user`` may open: all for the coordinator; for a caseworker, the people whose referent
        structure is theirs plus those handed to their structure (hand-off not refused nor expired); nobody for
        the State co-pilot, steering members and the admin. Anonymised records are the coordinator's only."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_coordinator(user):
            return self.all()
        if not is_caseworker(user):
            return self.none()
        return self.filter(anonymised_at__isnull=True).filter(_reachable(list(user.structure_ids), LIVE_HANDOFF_STATES))

    def caseload_of(self, structure_ids: Any) -> PersonQuerySet:
        """The structure's caseload: people it is referent for, and people handed to it once acknowledged."""
        ids = list(structure_ids)
        return self.filter(Q(pathway__structure_id__in=ids) | _handoffs_to(ids, CASELOAD_HANDOFF_STATES))

    def refresh_milestones(self) -> int:
        """Recompute the stored milestones of these people from their records (``citemploi.pathways.milestones``),
        in one ``UPDATE``; returns the number of people updated."""
        from citemploi.pathways.milestones import milestone_values

        return self.order_by().update(**milestone_values(lambda name: apps.get_model("pathways", name)))


def _visible_people(user: User | Any) -> models.QuerySet[Any]:
    people: PersonQuerySet = apps.get_model("pathways", "Person").objects.visible_to(user)
    return people.values("pk")


class HandoffQuerySet(models.QuerySet["Handoff"]):
    def visible_to(self, user: User | Any) -> HandoffQuerySet:
        """Hand-offs ``user`` may open: all for the coordinator; for a caseworker, those of people they see that
        their structure sent (as the referent's structure) or received; none for the other roles."""
        if is_coordinator(user):
            return self.all()
        ids = list(getattr(user, "structure_ids", ()))
        return self.filter(person__in=_visible_people(user)).filter(
            Q(person__pathway__structure_id__in=ids) | Q(to_structure_id__in=ids)
        )


class MobilisationQuerySet(models.QuerySet["Mobilisation"]):
    def visible_to(self, user: User | Any) -> MobilisationQuerySet:
        """Scheme mobilisations ``user`` may open — those the person page shows them: all for the coordinator; for a
        caseworker, those of people they see, when their structure is the referent's, the one in charge of the
        scheme, or received a live hand-off that shares the schemes."""
        if is_coordinator(user):
            return self.all()
        ids = list(getattr(user, "structure_ids", ()))
        handoff = apps.get_model("pathways", "Handoff")
        shared = handoff.objects.filter(
            person=OuterRef("person"), to_structure_id__in=ids, state__in=LIVE_HANDOFF_STATES
        ).filter(shared__icontains=f'"{HandoffShare.SCHEMES}"')  # a JSON list of section names
        return self.filter(person__in=_visible_people(user)).filter(
            Q(person__pathway__structure_id__in=ids) | Q(structure_id__in=ids) | Exists(shared)
        )


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: User | Any) -> ContactQuerySet:
        """Contacts of the people ``user`` sees (notes are masked apart: ``permissions.can_see_note``)."""
        return self.filter(person__in=_visible_people(user))


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def visible_to(self, user: User | Any) -> FollowUpQuerySet:
        """Follow-ups after the exit of the people ``user`` sees."""
        return self.filter(exit__person__in=_visible_people(user))
