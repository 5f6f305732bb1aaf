"""Forms of the solutions of a need and of the coverage map (issue 15 §4–5). Rules are in the services
(governance.needs.solutions); forms only read the input."""

from __future__ import annotations

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


class RoadmapActionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"v{obj.objective.axis.version.number} · {obj.ref} {obj.title}"


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Solution proposée"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partenaires associés"),
        queryset=Structure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    cost = forms.DecimalField(label=_("Coût estimé (€)"), required=False, min_value=0, max_digits=12, decimal_places=2)
    roadmap_action = RoadmapActionChoice(
        label=_("Action de la feuille de route (axe 3)"), queryset=RoadmapAction.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Structure.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("sort_name", "pk")
        self.fields["roadmap_action"].queryset = innovation_actions()  # type: ignore[attr-defined]

    def values(self) -> ProposalFields:
        data = self.cleaned_data
        return ProposalFields(
            text=data["text"], partners=list(data["partners"]), cost=data["cost"], roadmap_action=data["roadmap_action"]
        )


def linkable_actions(structure_ids: Any | None) -> QuerySet[Action]:
    """Census actions a proposal may be linked to: not cancelled; for a partner, those its structures carry or
    take part in (``None``: the coordinator, every action)."""
    actions = Action.objects.exclude(status=ActionStatus.CANCELLED)
    if structure_ids is not None:
        actions = actions.filter(Q(carrier_id__in=structure_ids) | Q(partners__in=structure_ids)).distinct()
    return actions.order_by("-starts_on", "title", "pk")


class ActionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.starts_on:%d/%m/%Y})"


class LinkActionForm(forms.Form):
    census_action = ActionChoice(
        label=_("Action du recensement"),
        queryset=Action.objects.none(),
        required=False,
        empty_label=_("— aucune —"),
        help_text=_("L'action qui porte la solution, une fois créée dans le recensement."),
    )

    def __init__(self, *args: Any, structure_ids: Any | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["census_action"].queryset = linkable_actions(structure_ids)  # type: ignore[attr-defined]


class MapFilterForm(forms.Form):
    etat = forms.ChoiceField(label=_("Besoins"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["etat"].choices = state_choices()  # type: ignore[attr-defined]
