"""The « aucune solution » choice of the hand-off and scheme proposal forms (issue 15 item 3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.partners import referentials as ref


def thematique_choices() -> list[Any]:
    """data·inclusion thématiques grouped by category, each group starting with its whole category."""
    groups: list[Any] = [("", gettext("— choisir —"))]
    for label, items in ref.thematique_choices_grouped():
        category = ref.categorie_of(items[0][0])
        whole = (category, gettext("%(category)s (toute la catégorie)") % {"category": label})
        groups.append((label, [whole, *items]))
    return groups


class NoSolutionForm(forms.Form):
    """Adds « aucune solution » and its thématique; ``solution_fields`` are required only without it."""

    solution_fields: tuple[str, ...] = ()

    no_solution = forms.BooleanField(
        label=_("Aucune solution : aucune structure ni action ne répond à ce besoin"),
        required=False,
        help_text=_(
            "Rien n'est envoyé : le besoin est compté (thématique, QPV, tranche d'âge et situation de la personne, "
            "jamais son nom) dans le registre des besoins non couverts de la coordination."
        ),
    )
    thematique = forms.ChoiceField(label=_("Thématique du besoin sans solution"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["thematique"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = thematique_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("no_solution"):
            if not data.get("thematique"):
                self.add_error("thematique", gettext("Choisissez la thématique du besoin sans solution."))
        else:
            for name in self.solution_fields:
                if name not in self.errors and data.get(name) in (None, ""):
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return data
