from __future__ import annotations

import datetime as dt
from typing import Any

from data_inclusion.schema.v1 import Thematique
from django import forms

from citemploi.schemes.engine import parameters as labels
from citemploi.schemes.models import Scheme

THEMATIQUE_CHOICES = [(t.value, t.label) for t in Thematique]
THEMATIQUE_LABELS = dict(THEMATIQUE_CHOICES)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParameterForm(forms.Form):
    value = forms.CharField(label="Nouvelle valeur", max_length=500)
    valid_from = forms.DateField(label="En vigueur à partir du", widget=DATE_WIDGET)
    source = forms.CharField(
        label="Source",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Texte, arrêté ou décision qui fonde le changement.",
    )

    def __init__(self, *args: Any, key: str, previous: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key, self.previous = key, previous
        if isinstance(previous, list):
            self.fields["value"].help_text = "Plusieurs valeurs séparées par des virgules."

    def clean_value(self) -> Any:
        try:
            return labels.parse_like(self.key, self.previous, self.cleaned_data["value"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class VeilleForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE_WIDGET, initial=dt.date.today)
    title = forms.CharField(label="Titre", max_length=200)
    summary = forms.CharField(label="Résumé", widget=forms.Textarea(attrs={"rows": 6}))
    source_url = forms.URLField(label="Lien vers la source", required=False, max_length=500, assume_scheme="https")
    schemes = forms.ModelMultipleChoiceField(
        label="Dispositifs concernés",
        queryset=Scheme.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    tags = forms.CharField(label="Mots-clés", required=False, help_text="Séparés par des virgules.", max_length=300)

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class GoodPracticeForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    territory = forms.CharField(label="Territoire", max_length=200)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 6}))
    results = forms.CharField(label="Résultats", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    contact = forms.CharField(label="Contact", max_length=300, required=False)
    thematiques = forms.MultipleChoiceField(
        label="Thématiques (data·inclusion)", choices=THEMATIQUE_CHOICES, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    attachment = forms.FileField(label="Pièce jointe", required=False)


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label="Texte", required=False, max_length=100)
    thematique = forms.ChoiceField(label="Thématique", choices=[("", "Toutes"), *THEMATIQUE_CHOICES], required=False)
