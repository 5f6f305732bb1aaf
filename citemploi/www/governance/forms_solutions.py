"""Forms of the solutions of a need and of the coverage map (issue 15 §4–5). Rules are in the services
(governance.needs.solutions); forms only read the input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Structure
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.governance.models import RoadmapAction
from citemploi.governance.needs.coverage_map import state_choices
from citemploi.governance.needs.solutions import INNOVATION_AXIS, ProposalFields
from citemploi.partners.models import Action, ActionStatus


def innovation_actions() -> QuerySet[RoadmapAction]:
    """The roadmap's actions of axis 3, latest version first (the service refuses any other)."""
    return (
        RoadmapAction.objects.filter(
            Q(objective__axis__ref=INNOVATION_AXIS) | Q(objective__axis__ref__startswith=f"{INNOVATION_AXIS}.")
        )
        .select_related("objective__axis__version")
        .order_by("-objective__axis__version__number", "objective__position", "position", "ref")
    )


Choices = list[tuple[str, str]]


@dataclass(frozen=True)
class ProposalChoices:
    """The options of the proposal forms, read once per page (two queries, however many proposals it shows)."""

    partners: Choices
    roadmap_actions: Choices

    @classmethod
    def read(cls) -> ProposalChoices:
        structures = Structure.objects.filter(is_active=True).order_by("sort_name", "pk").values_list("pk", "name")
        actions = [(str(a.pk), f"v{a.objective.axis.version.number} · {a.ref} {a.title}") for a in innovation_actions()]
        return cls([(str(pk), name) for pk, name in structures], actions)


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Solution proposée"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )
    partners = forms.MultipleChoiceField(
        label=_("Partenaires associés"), choices=(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    cost = forms.DecimalField(label=_("Coût estimé (€)"), required=False, min_value=0, max_digits=12, decimal_places=2)
    roadmap_action = forms.ChoiceField(label=_("Action de la feuille de route (axe 3)"), choices=(), required=False)

    def __init__(self, *args: Any, choices: ProposalChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].choices = choices.partners  # type: ignore[attr-defined]
        self.fields["roadmap_action"].choices = [("", _("— aucune —")), *choices.roadmap_actions]  # type: ignore[attr-defined]

    def values(self) -> ProposalFields:
        """The typed input of the service (the chosen structures and roadmap action read here)."""
        data = self.cleaned_data
        partners = list(Structure.objects.filter(pk__in=[int(pk) for pk in data["partners"]]).order_by("pk"))
        action = RoadmapAction.objects.select_related("objective__axis").filter(pk=data["roadmap_action"] or 0).first()
        return ProposalFields(text=data["text"], partners=partners, cost=data["cost"], roadmap_action=action)


def linkable_actions(structure_ids: Any | None) -> Choices:
    """Census actions a proposal may be linked to, as options (one query): not cancelled; for a partner, those its
    structures carry or take part in (``None``: every action — whether the reader may link it is the service's
    rule)."""
    actions = Action.objects.exclude(status=ActionStatus.CANCELLED)
    if structure_ids is not None:
        actions = actions.filter(Q(carrier_id__in=structure_ids) | Q(partners__in=structure_ids)).distinct()
    rows = actions.order_by("-starts_on", "title", "pk").values_list("pk", "title", "starts_on")
    return [(str(pk), f"{title} ({starts_on:%d/%m/%Y})") for pk, title, starts_on in rows]


class LinkActionForm(forms.Form):
    census_action = forms.ChoiceField(
        label=_("Action du recensement"),
        choices=(),
        required=False,
        help_text=_("L'action qui porte la solution, une fois créée dans le recensement."),
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["census_action"].choices = [("", _("— aucune —")), *choices]  # type: ignore[attr-defined]

    def action(self) -> Action | None:
        pk = self.cleaned_data["census_action"]
        return Action.objects.filter(pk=int(pk)).first() if pk else None


class MapFilterForm(forms.Form):
    etat = forms.ChoiceField(label=_("Besoins"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["etat"].choices = state_choices()  # type: ignore[attr-defined]
