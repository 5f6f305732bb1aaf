"""The results of an experiment (issue 15 §4): the indicators of the people who took part in the census action
that carries an adopted proposal, computed by the evaluation registry and published as every figure is (masked
once below the coordinator, never a name).

Who took part: the people followed in a pathway who are registered to the linked census action
(``pathways.PersonRegistration`` → ``partners.Registration.action``). The period runs from the experiment's start
(the action's first day, or the adoption when it comes later) to today: the indicators count what happened to
those people since the experiment began. A proposal without a census action has no results yet (« pas encore
d'action du recensement liée »), which the page says — never zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from citemploi.core import secrecy
from citemploi.evaluation import outputs, registry
from citemploi.evaluation.periods import Period
from citemploi.evaluation.permissions import needs_masking
from citemploi.pathways.models import PersonRegistration

#: The indicators shown for an experiment, in this order (ids of the evaluation registry).
EXPERIMENT_IDS = ("exits", "dynamic_exit_rate", "durable_exit_rate", "freins_lifted_rate", "handoffs_sent")


@dataclass(frozen=True)
class Line:
    label: str
    definition: str
    text: str  # as it reads in the page: « < 6 » when masked


@dataclass(frozen=True)
class Results:
    period: Period
    participants: str  # the count as it reads (masked below the coordinator)
    masked: bool
    lines: list[Line]


def participants(action: Any) -> QuerySet[Any]:
    """The pks of the people followed in a pathway registered to ``action`` (a subquery: no row is read here)."""
    return PersonRegistration.objects.filter(registration__action=action).values("person_id").distinct()


def experiment_period(action: Any, adopted_on: dt.date | None, today: dt.date | None = None) -> Period | None:
    """From the action's start (or the adoption, if later) to today; None before the experiment starts."""
    today = today or timezone.localdate()
    start = max(d for d in (action.starts_on, adopted_on) if d is not None)
    return Period(start, today) if start <= today else None


def results(viewer: Any, action: Any, *, adopted_on: dt.date | None = None) -> Results | None:
    """The experiment's figures for ``viewer``: participants and the registry's indicators on them, masked below
    the coordinator (``evaluation.outputs.mask``, ``core.secrecy``). None when there is no period yet."""
    period = experiment_period(action, adopted_on)
    if period is None:
        return None
    masked = bool(needs_masking(viewer))
    people = participants(action)
    count = people.count()
    scope = registry.Scope(people=people)
    lines = []
    for indicator_id in EXPERIMENT_IDS:
        indicator = registry.get(indicator_id)
        result = registry.compute(indicator, period, scope=scope)
        shown = outputs.mask(result) if masked else result
        lines.append(Line(str(indicator.label), str(indicator.definition), outputs.text(shown.total, indicator.kind)))
    shown_count = secrecy.mask_count(count) if masked else count
    return Results(period, secrecy.display(shown_count), masked, lines)
