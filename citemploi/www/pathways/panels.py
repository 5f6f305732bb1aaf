"""The « Dispositifs accessibles » panel of the person page (issue 6 §4): the engine's answers for the person, each
with a « Proposer » button that creates a mobilisation (proposée) through the pathways service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from django.urls import reverse
from django.utils import timezone

from citemploi.pathways.choices import RSA, FreinTheme, Housing, QPVStatus
from citemploi.pathways.models import Frein, Person
from citemploi.pathways.permissions import Sight
from citemploi.pathways.states import FreinState, PathwayState
from citemploi.schemes.engine import Profile
from citemploi.schemes.selectors import eligibility_for_person

_QPV = {QPVStatus.IN: True, QPVStatus.OUT: False}  # "à vérifier", unknown, not located: unknown
_RSA = {RSA.NO: "none", RSA.MAJORE: "majore", RSA.NON_MAJORE: "non_majore"}
# The IAE criterion reads "sans hébergement, hébergé ou parcours de rue": emergency or insertion housing counts;
# being housed by relatives may or may not, so it stays unknown (to check) like "autre" and an empty answer.
_HOMELESS = {Housing.HOMELESS: True, Housing.SHELTER: True, Housing.OWN: False}
_OPEN_FREIN = {FreinState.IDENTIFIED, FreinState.IN_PROGRESS}


def _registration(person: Person) -> tuple[date | Literal[False], str | None]:
    """(ft_registered_since, ft_category) in the engine's terms. The record has no "unknown" registration: an
    empty date is shown as « non inscrit » on the page, so it is a known "not registered" (False) with no
    category (""); registered without a category typed means the category is unknown (None)."""
    if person.ft_registered_since is None:
        return False, ""
    return person.ft_registered_since, person.ft_category or None


def _schooling(person: Person) -> tuple[bool | None, bool | None]:
    """(student, in_training). The record has one box « étudiant ou en formation »: unticked, neither; ticked,
    the engine cannot tell which (they do not close the same schemes), so both stay unknown, to check."""
    return (None, None) if person.student else (False, False)


def person_profile(person: Person, freins: Iterable[Frein] = ()) -> Profile:
    """The engine's Profile for ``person`` (None = unknown). Includes RQTH and justice: full sight only.
    ``freins`` are those already loaded for the page (an open mobility frein is a mobility problem; without
    one the problem is unknown, never "no")."""
    since, category = _registration(person)
    student, in_training = _schooling(person)
    mobility = True if any(f.theme == FreinTheme.MOBILITY and f.state in _OPEN_FREIN for f in freins) else None
    return Profile(
        id=str(person.public_id),
        birth_date=person.birth_date,
        qpv_resident=_QPV.get(QPVStatus(person.qpv_status)),
        education_level=person.education_level or None,
        ft_registered_since=since,
        ft_category=category,
        rsa=_RSA.get(RSA(person.rsa)) if person.rsa else None,
        ass=person.ass,
        aah=person.aah,
        rqth=person.rqth,
        single_parent=person.single_parent,
        homeless=_HOMELESS.get(Housing(person.housing)) if person.housing else None,
        justice=person.justice,
        french_below_a1=person.french_below_a1,
        mobility_problem=mobility,
        student=student,
        in_training=in_training,
    )


def eligibility_context(person: Person, sight: Sight, freins: Iterable[Frein] = ()) -> dict[str, Any]:
    """``eligibility`` and ``propose_url`` for the panel (two queries, whatever the cohort). Only with full
    sight: the profile reads sensitive facts, and only the referent's structure may propose a scheme."""
    if not sight.full:
        return {"eligibility_panel": False}
    return {
        "eligibility_panel": True,
        "eligibility": eligibility_for_person(person_profile(person, freins), timezone.localdate()),
        # After an exit nothing more is proposed: the panel stays, without its « Proposer » buttons.
        "propose_url": ""
        if person.pathway.state == PathwayState.EXITED
        else reverse("pathways:mobilisation_propose", args=[person.public_id]),
    }
