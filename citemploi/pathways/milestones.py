"""The milestones of a person's pathway kept on the record (issue 13 §10): the first repérage (date and channel),
the first referent assignment, the first orientation (a hand-off sent or a scheme proposed), the first scheme
entry and the first dynamic exit. They are derived from the records, never typed: the evaluation reads them as
columns (indexed) instead of one correlated subquery per person and per indicator.

ONE definition, `milestone_values`, recomputes them in a single ``UPDATE`` for any set of people:
`PersonQuerySet.refresh_milestones` calls it after every write of a record it reads — `pathway_follow` (every
pathway event: contact, hand-off, scheme proposal or entry, exit…), `person_register`, `referent_assign`,
`person_merge`, the import's undo, the retention purge — and the bulk writers (demonstration data, benchmarks)
call it once on the people they wrote. The migration that adds the columns fills them with the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import CharField, DateField, DateTimeField, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Least, TruncDate

from citemploi.pathways.choices import ExitCategory

#: The exit categories of a « sortie dynamique » (durable, transition, sortie positive).
DYNAMIC_CATEGORIES = (ExitCategory.DURABLE, ExitCategory.TRANSITION, ExitCategory.POSITIVE)

#: The stored milestones (columns of Person).
FIELDS = (
    "first_spotted_on",
    "first_channel",
    "first_referent_at",
    "first_oriented_on",
    "first_scheme_on",
    "first_dynamic_exit_on",
)


def _first(rows: Any, field_name: str, output: Any) -> Subquery:
    return Subquery(
        rows.filter(person=OuterRef("pk")).values("person").annotate(first=Min(field_name)).values("first")[:1],
        output_field=output,
    )


def milestone_values(get_model: Callable[[str], Any]) -> dict[str, Any]:
    """The expression of each milestone of the person of the row (``pk``), for ``QuerySet.update``.
    ``get_model(name)`` gives a pathways model (the current one, or a migration's historical one)."""
    reperage, referent = get_model("Reperage"), get_model("ReferentAssignment")
    handoff, mobilisation, exit_ = get_model("Handoff"), get_model("Mobilisation"), get_model("Exit")
    spotted = reperage.objects.filter(person=OuterRef("pk")).order_by("spotted_on", "id")
    assigned = referent.objects.filter(person=OuterRef("pk")).order_by("started_at", "id")
    sent = _first(handoff.objects.annotate(day=TruncDate("sent_at")), "day", DateField())
    proposed = _first(mobilisation.objects.all(), "proposed_on", DateField())
    return {
        "first_spotted_on": Subquery(spotted.values("spotted_on")[:1], output_field=DateField()),
        "first_channel": Coalesce(Subquery(spotted.values("channel")[:1], output_field=CharField()), Value("")),
        "first_referent_at": Subquery(assigned.values("started_at")[:1], output_field=DateTimeField()),
        "first_oriented_on": Coalesce(Least(sent, proposed), sent, proposed),
        "first_scheme_on": _first(mobilisation.objects.filter(entered_on__isnull=False), "entered_on", DateField()),
        "first_dynamic_exit_on": _first(
            exit_.objects.filter(category__in=DYNAMIC_CATEGORIES), "exited_on", DateField()
        ),
    }
