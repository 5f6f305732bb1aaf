"""Scheme mobilisations: the structure in charge (issue 10, item 4) and their closing at the person's exit (item 6).

The structure in charge of a mobilisation is the one that runs the scheme: chosen when proposing, among the
structures whose kind is one of the scheme's operators (`Scheme.operators`, StructureKind values; a scheme without
declared operators accepts any structure); it changes to the receiver of a hand-off linked to the mobilisation when
the receiver acknowledges it (if the receiver is one of the operators). Each change writes a timeline line, and
django-auditlog keeps the before/after of `Mobilisation.structure`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from django.db.models import Min
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, StructureKind, User
from citemploi.core.errors import ValidationFailed
from citemploi.pathways import dates
from citemploi.pathways.models import Handoff, Mobilisation, Pathway, Person, Reperage
from citemploi.pathways.services.common import event
from citemploi.pathways.states import MobilisationState, allowed_targets
from citemploi.schemes.models import Scheme

#: The states that close a mobilisation, in order of preference at an exit.
CLOSING_STATES = (MobilisationState.EXITED, MobilisationState.ABANDONED, MobilisationState.REFUSED)


def runs_scheme(structure: Structure, scheme: Scheme) -> bool:
    """Whether ``structure`` is of a kind that operates ``scheme`` (any structure when none is declared)."""
    return not scheme.operators or structure.kind in scheme.operators


def operator_kinds(scheme: Scheme) -> str:
    labels = dict(StructureKind.choices)
    return ", ".join(str(labels.get(kind, kind)) for kind in scheme.operators)


def structure_in_charge(*, scheme: Scheme, structure: Structure) -> Structure:
    """The structure put in charge when proposing ``scheme``: refused unless it operates the scheme."""
    if not runs_scheme(structure, scheme):
        raise ValidationFailed(
            _(
                "%(structure)s ne porte pas le dispositif %(scheme)s : choisissez une structure parmi ses opérateurs "
                "(%(kinds)s)."
            )
            % {"structure": structure, "scheme": scheme, "kinds": operator_kinds(scheme)},
            field="structure",
        )
    return structure


def take_over_at_acknowledgement(handoff: Handoff, *, by: User) -> Mobilisation | None:
    """The receiver of an acknowledged hand-off linked to a mobilisation takes charge of it, if it runs the
    scheme and the mobilisation is still open. Returns the mobilisation when its structure changed."""
    if handoff.mobilisation_id is None:
        return None
    mobilisation = (
        Mobilisation.objects.select_for_update(of=("self",))
        .select_related("scheme", "structure")
        .get(pk=handoff.mobilisation_id)
    )
    receiver = handoff.to_structure
    if (
        mobilisation.structure_id == receiver.pk
        or not closing_choices(mobilisation)
        or not runs_scheme(receiver, mobilisation.scheme)
    ):
        return None
    before = mobilisation.structure
    mobilisation.structure = receiver
    mobilisation.save(update_fields=["structure", "updated_at"])
    event(
        person=handoff.person,
        kind="mobilisation.structure",
        label=f"Dispositif {mobilisation.scheme} : structure en charge {before} → {receiver} (orientation accusée)",
        by=by,
        structure=receiver,
    )
    return mobilisation


def closing_choices(mobilisation: Mobilisation) -> list[str]:
    """The states that may close ``mobilisation`` now (empty when it is already closed); the first is the default."""
    targets = allowed_targets("mobilisation", mobilisation.state)
    return [state for state in CLOSING_STATES if state in targets]


def open_mobilisations(person: Person) -> list[Mobilisation]:
    """The mobilisations an exit would close, oldest first."""
    closed = [s for s in MobilisationState.values if not closing_choices(Mobilisation(state=s))]
    return list(
        Mobilisation.objects.filter(person=person).exclude(state__in=closed).select_related("scheme", "structure")
    )


def outcome_field(mobilisation: Mobilisation) -> str:
    """The name of the exit form field (and of the ``field`` of its errors) for one mobilisation."""
    return f"mobilisation_{mobilisation.public_id}"


def close_at_exit(
    *,
    person: Person,
    pathway: Pathway,
    exited_on: date,
    contract_end_on: date | None,
    outcomes: Mapping[str, str],
    move: Callable[[Mobilisation, str], None],
) -> list[Mobilisation]:
    """Check the exit's dates against the repérage, the entry and each open mobilisation, then close each of
    them with its outcome (``outcomes``: public id → closing state; default the first of `closing_choices`)."""
    closing = [
        m
        for m in Mobilisation.objects.select_for_update(of=("self",))
        .filter(person=person)
        .select_related("scheme")
        .order_by("proposed_on", "id")
        if closing_choices(m)
    ]
    spotted_on = Reperage.objects.filter(person=person).aggregate(first=Min("spotted_on"))["first"]
    dates.check_exit(
        exited_on=exited_on,
        contract_end_on=contract_end_on,
        spotted_on=spotted_on,
        entered_on=pathway.entered_on,
        closes=[(m.scheme.name, m.entered_on, m.proposed_on) for m in closing],
    )
    labels = dict(MobilisationState.choices)
    for mobilisation in closing:
        choices = closing_choices(mobilisation)
        target = outcomes.get(str(mobilisation.public_id)) or choices[0]
        if target not in choices:
            raise ValidationFailed(
                _("Le dispositif %(scheme)s ne peut pas se clore ainsi : choisissez parmi %(choices)s.")
                % {"scheme": mobilisation.scheme, "choices": ", ".join(f"« {labels[c]} »" for c in choices)},
                field=outcome_field(mobilisation),
            )
    for mobilisation in closing:
        move(mobilisation, outcomes.get(str(mobilisation.public_id)) or closing_choices(mobilisation)[0])
    return closing
