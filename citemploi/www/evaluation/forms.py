"""The period picker (month, quarter, year, free range), the QPV and the breakdown."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citemploi.core import freshness
from citemploi.core.errors import ValidationFailed
from citemploi.evaluation.breakdowns import BREAKDOWNS
from citemploi.evaluation.periods import Period, period_from, year_of
from citemploi.territory.selectors import qpv_labels
from citemploi.www.fragments import render_kept

KIND_CHOICES = [
    ("month", _("Mois")),
    ("quarter", _("Trimestre")),
    ("year", _("Année")),
    ("range", _("Période libre")),
]


def _qpv_choices() -> list[tuple[str, str]]:
    return freshness.remember(("qpv_choices", get_language()), _read_qpv_choices)


def _read_qpv_choices() -> list[tuple[str, str]]:
    return [("", str(_("Tout le territoire"))), *qpv_labels().items()]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Période"), choices=KIND_CHOICES, initial="year")
    start = forms.DateField(
        label=_("Début (ou un jour du mois, du trimestre, de l'année)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Fin (période libre)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    qpv = forms.ChoiceField(label=_("Quartier"), required=False)
    by = forms.ChoiceField(label=_("Ventiler par"), required=False)

    def __init__(self, *args: Any, with_breakdown: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["qpv"].choices = _qpv_choices()  # type: ignore[attr-defined]
        self.fields["by"].choices = [("", _("Aucune ventilation"))] + [(b.id, b.label) for b in BREAKDOWNS.values()]  # type: ignore[attr-defined]
        if not with_breakdown:
            del self.fields["by"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "range" and data.get("start") and not data.get("end"):
            self.add_error("end", _("Indiquez la fin de la période libre."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("La fin de la période doit suivre son début."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        start: date = data["start"]
        end: date | None = data.get("end")
        try:
            return period_from(start.isoformat(), (end or start).isoformat(), data["kind"])
        except ValidationFailed:  # already reported by clean()
            return year_of(timezone.localdate().year)


def read_period(params: Any, *, with_breakdown: bool = True) -> tuple[PeriodForm, Period, str, str | None]:
    """The form bound to the query string (the current year when empty), the period, the QPV and the breakdown."""
    today = timezone.localdate()
    data = params.copy() if params else {}
    if not data.get("start"):
        data = {**{k: v for k, v in data.items()}, "kind": data.get("kind") or "year", "start": f"{today.year}-01-01"}
    form = PeriodForm(data, with_breakdown=with_breakdown)
    if not form.is_valid():
        return form, year_of(today.year), "", None
    return form, form.period(), form.cleaned_data.get("qpv") or "", form.cleaned_data.get("by") or None


def render_period_form(form: PeriodForm) -> SafeString:
    """The picker as HTML: rendered once per submitted values (its QPV list is data)."""
    values = tuple((name, str(form.data.get(name, ""))) for name in form.fields)
    return render_kept("evaluation/_period_form.html", key=values, context=lambda: {"form": form})
