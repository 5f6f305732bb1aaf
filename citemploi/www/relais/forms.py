"""Forms of the relais zone: the monthly report (a grid of people received by QPV and sex, orientations by type of
destination, the other counts and two texts), the review and the import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import StructureKind
from citemploi.relais.values import Reception, ReportChanges

SEXES = (("F", _("Femmes")), ("M", _("Hommes")), ("", _("Non renseigné")))
OUTSIDE = "hors"
COUNTS = ("appointments", "workshops", "workshop_attendance", "events")


def _number(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100_000, required=False, initial=0)


def _key(qpv: str, sex: str, part: str) -> str:
    return f"r_{qpv or OUTSIDE}_{sex or 'x'}_{part}"


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    appointments = _number(_("Rendez-vous individuels"))
    workshops = _number(_("Ateliers collectifs (séances)"))
    workshop_attendance = _number(_("Participations aux ateliers"))
    events = _number(_("Événements auxquels le relais a participé (forums, job datings, visites)"))
    highlights = forms.CharField(
        label=_("Faits marquants"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    difficulties = forms.CharField(
        label=_("Difficultés"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data: Any = None, *, qpvs: list[tuple[str, str]], content: ReportChanges, version: int) -> None:
        initial: dict[str, Any] = {name: getattr(content, name) for name in (*COUNTS, "highlights", "difficulties")}
        initial["version"] = version
        for r in content.receptions:
            initial[_key(r.qpv_code, r.sex, "new")], initial[_key(r.qpv_code, r.sex, "back")] = r.new, r.returning
        for kind, count in content.orientations:
            initial[f"o_{kind}"] = count
        super().__init__(data, initial=initial)
        self.qpvs = [*qpvs, ("", str(_("Hors QPV ou inconnu")))]
        for code, name in self.qpvs:
            for sex, sex_label in SEXES:
                for part, part_label in (("new", _("nouvelles")), ("back", _("déjà reçues"))):
                    label = f"{name} — {sex_label} — {part_label}"  # noqa: RUF001
                    self.fields[_key(code, sex, part)] = _number(label)
        for kind, kind_label in StructureKind.choices:
            self.fields[f"o_{kind}"] = _number(kind_label)

    def grid(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(code, name, the six fields of the row) for the template's table."""
        return [
            (code, name, [self[_key(code, sex, part)] for sex, _l in SEXES for part in ("new", "back")])
            for code, name in self.qpvs
        ]

    def orientation_fields(self) -> list[forms.BoundField]:
        return [self[f"o_{kind}"] for kind in StructureKind.values]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*COUNTS, "highlights", "difficulties")]

    def changes(self) -> ReportChanges:
        data = self.cleaned_data
        receptions = []
        for code, _name in self.qpvs:
            for sex, _l in SEXES:
                new, back = data.get(_key(code, sex, "new")) or 0, data.get(_key(code, sex, "back")) or 0
                if new or back:
                    receptions.append(Reception(code, sex, new, back))
        orientations = tuple((k, data.get(f"o_{k}") or 0) for k in StructureKind.values if data.get(f"o_{k}"))
        return ReportChanges(
            receptions=tuple(receptions),
            orientations=orientations,
            highlights=data.get("highlights", ""),
            difficulties=data.get("difficulties", ""),
            **{name: data.get(name) or 0 for name in COUNTS},
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(VersionForm):
    comment = forms.CharField(
        label=_("Commentaire pour le relais"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que le relais doit revoir avant de soumettre à nouveau."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tableur du relais (CSV, XLSX ou ODS)"),
        help_text=_("Colonnes : rubrique, qpv, sexe, destination, valeur (voir l'aide)."),
    )
