"""Forms of the import screens: upload, column mapping, row exclusion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Structure
from citemploi.accounts.permissions import is_coordinator
from citemploi.intake.mappings import PEOPLE_FIELDS, saved_sources
from citemploi.intake.models import Import, Kind

OTHER = "__autre__"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'import"), choices=Kind.choices, initial=Kind.PEOPLE,
                             widget=forms.RadioSelect)  # fmt: skip
    structure = forms.ModelChoiceField(label=_("Structure qui importe"), queryset=Structure.objects.none())
    source = forms.ChoiceField(
        label=_("Source du fichier"), required=False,
        help_text=_("La correspondance de colonnes enregistrée pour cette source vous est proposée."),
    )  # fmt: skip
    new_source = forms.CharField(label=_("Autre source (nom à enregistrer)"), max_length=80, required=False)
    # The readers judge the file by its content (an empty file, an old .xls… each get their own message).
    file = forms.FileField(label=_("Fichier"), allow_empty_file=True,
                           help_text=_("CSV, XLSX ou ODS ; pour la reprise : XLSX ou ZIP de CSV."))  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        structures = Structure.objects.filter(is_active=True)
        if not is_coordinator(user):
            structures = structures.filter(pk__in=list(user.structure_ids))
        field = self.fields["structure"]
        field.queryset = structures.order_by("sort_name")  # type: ignore[attr-defined]
        first = field.queryset.first()  # type: ignore[attr-defined]
        field.initial = user.primary_structure or first
        sources = saved_sources(field.initial) if field.initial else []
        choices = [(s, s) for s in sources] + [(OTHER, gettext("Autre (à nommer ci-dessous)"))]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]

    def chosen_source(self) -> str:
        source = self.cleaned_data.get("source") or ""
        return (self.cleaned_data.get("new_source") or "").strip() if source == OTHER else source


class MappingForm(forms.Form):
    """One choice per field of the product: which column of the file feeds it."""

    source = forms.CharField(label=_("Enregistrer pour la source"), max_length=80, required=False,
                             help_text=_("Proposée à nouveau pour le prochain fichier de cette source."))  # fmt: skip

    def __init__(self, *args: Any, batch: Import, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext("— non utilisée —"))] + [(h, h) for h in batch.headers if h]
        for f in PEOPLE_FIELDS:
            self.fields[f"col_{f.name}"] = forms.ChoiceField(
                label=str(f.label), choices=choices, required=f.required, initial=batch.mapping.get(f.name, "")
            )
        self.fields["source"].initial = batch.source
        self.order_fields([*(f"col_{f.name}" for f in PEOPLE_FIELDS), "source"])

    def columns(self) -> dict[str, str]:
        return {f.name: self.cleaned_data.get(f"col_{f.name}") or "" for f in PEOPLE_FIELDS}


class LinesForm(forms.Form):
    lines = forms.CharField(
        label=_("Lignes"), max_length=2000,
        help_text=_("Numéros de ligne du fichier, séparés par des virgules ou des espaces (ex. 5, 9, 12-14)."),
    )  # fmt: skip
    include = forms.BooleanField(label=_("Réintégrer ces lignes au lieu de les exclure"), required=False)

    def clean_lines(self) -> list[int]:
        result: list[int] = []
        for part in self.cleaned_data["lines"].replace(",", " ").split():
            start, _sep, end = part.partition("-")
            if not start.isdigit() or (end and not end.isdigit()):
                raise forms.ValidationError(gettext("« %(part)s » n'est pas un numéro de ligne.") % {"part": part})
            low, high = int(start), int(end or start)
            if high < low or high - low > 100_000:
                raise forms.ValidationError(gettext("Intervalle de lignes invalide : %(part)s.") % {"part": part})
            result += range(low, high + 1)
        return result
