"""Forms of the register of uncovered needs. Rules are in governance/needs/services.py; forms only read input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.governance.needs.states import NeedState, SignalSource
from citemploi.partners import referentials as ref
from citemploi.pathways.choices import AgeBand
from citemploi.territory.selectors import qpv_labels
from citemploi.www.pathways.forms_unmet import thematique_choices

ALL = [("", _("Tous"))]


def _qpv_choices(empty: str) -> list[tuple[str, Any]]:
    return [("", empty), *qpv_labels().items()]


class NeedFilterForm(forms.Form):
    etat = forms.ChoiceField(label=_("État"), choices=ALL + list(NeedState.choices), required=False)
    thematique = forms.ChoiceField(
        label=_("Thématique"), choices=[(v, label) for v, label in ref.CATEGORIE_CHOICES], required=False
    )
    qpv = forms.ChoiceField(label=_("QPV"), choices=(), required=False)
    origine = forms.ChoiceField(label=_("Origine"), choices=ALL + list(SignalSource.choices), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["thematique"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Toutes")), *ref.CATEGORIE_CHOICES]
        qpv = self.fields["qpv"]
        assert isinstance(qpv, forms.ChoiceField)
        qpv.choices = _qpv_choices(str(_("Tous")))


class NeedReportForm(forms.Form):
    thematique = forms.ChoiceField(label=_("Thématique du besoin"), choices=())
    qpv_code = forms.ChoiceField(label=_("QPV concerné"), choices=(), required=False)
    age_band = forms.ChoiceField(label=_("Tranche d'âge"), choices=AgeBand.choices, initial=AgeBand.ALL)
    situation = forms.ChoiceField(label=_("Situation (public)"), choices=ref.PUBLIC_CHOICES, initial="tous-publics")
    count = forms.IntegerField(
        label=_("Nombre de personnes concernées (estimation)"), min_value=1, max_value=100_000, initial=1
    )
    note = forms.CharField(
        label=_("Description du besoin"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Ne citez personne : ni nom, ni détail qui permettrait de reconnaître une personne."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        thematique = self.fields["thematique"]
        assert isinstance(thematique, forms.ChoiceField)
        thematique.choices = thematique_choices()
        qpv = self.fields["qpv_code"]
        assert isinstance(qpv, forms.ChoiceField)
        qpv.choices = _qpv_choices(str(_("Tout le territoire")))


class NeedQualifyForm(forms.Form):
    estimated_volume = forms.IntegerField(
        label=_("Volume estimé (personnes)"), min_value=0, max_value=1_000_000, required=False
    )
    evidence = forms.CharField(
        label=_("Éléments probants"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sources, constats partagés, chiffres : jamais le nom d'une personne."),
    )


class NeedTransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("Nouvel état"), choices=())

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
