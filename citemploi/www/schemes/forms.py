from __future__ import annotations

import datetime as dt
from typing import Any

from data_inclusion.schema.v1 import Thematique
from django import forms
from django.utils.translation import gettext_lazy as _

from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.schemes.engine import parameters as labels
from citemploi.schemes.models import Scheme

THEMATIQUE_CHOICES = [(t.value, t.label) for t in Thematique]
THEMATIQUE_LABELS = dict(THEMATIQUE_CHOICES)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParameterForm(forms.Form):
    value = forms.CharField(label=_("Nouvelle valeur"), max_length=500)
    valid_from = forms.DateField(label=_("En vigueur à partir du"), widget=DATE_WIDGET)
    source = forms.CharField(
        label=_("Source"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Texte, arrêté ou décision qui fonde le changement."),
    )

    def __init__(self, *args: Any, key: str, previous: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key, self.previous = key, previous
        if isinstance(previous, list):
            self.fields["value"].help_text = _("Plusieurs valeurs séparées par des virgules.")

    def clean_value(self) -> Any:
        try:
            return labels.parse_like(self.key, self.previous, self.cleaned_data["value"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ValidityForm(forms.Form):
    # The order of the dates is checked by the service (its message is shown as a form error).
    valid_from = forms.DateField(
        label=_("En vigueur depuis le"), widget=DATE_WIDGET, required=False, help_text=_("Vide : non renseignée.")
    )
    valid_to = forms.DateField(
        label=_("En vigueur jusqu'au"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Dernier jour où une entrée est possible. Vide : pas de date de fin."),
    )


class VeilleForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=dt.date.today)
    title = forms.CharField(label=_("Titre"), max_length=200)
    summary = forms.CharField(label=_("Résumé"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}))
    source_url = forms.URLField(label=_("Lien vers la source"), required=False, max_length=500, assume_scheme="https")
    schemes = forms.ModelMultipleChoiceField(
        label=_("Dispositifs concernés"),
        queryset=Scheme.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    tags = forms.CharField(
        label=_("Mots-clés"), required=False, help_text=_("Séparés par des virgules."), max_length=300
    )

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class GoodPracticeForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    territory = forms.CharField(label=_("Territoire"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    results = forms.CharField(
        label=_("Résultats"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)
    thematiques = forms.MultipleChoiceField(
        label=_("Thématiques (data·inclusion)"),
        choices=THEMATIQUE_CHOICES,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    attachment = forms.FileField(label=_("Pièce jointe"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["attachment"].label = _("Ajouter une pièce jointe")
            self.fields["attachment"].help_text = _("Les pièces jointes déjà présentes sont conservées.")


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Texte"), required=False, max_length=100)
    thematique = forms.ChoiceField(
        label=_("Thématique"), choices=[("", _("Toutes")), *THEMATIQUE_CHOICES], required=False
    )
