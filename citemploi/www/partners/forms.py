"""Forms of the census screens. Choices come from the data·inclusion referentials (citemploi.partners.referentials)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Structure
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.partners import referentials as ref
from citemploi.partners.hours import osm_to_slots
from citemploi.partners.models import Action, ActionSession, Attendance, Registration, Service, StructureProfile
from citemploi.partners.selectors import DirectoryFilters
from citemploi.partners.services import ACTION_FIELDS, PROFILE_FIELDS, SERVICE_FIELDS
from citemploi.territory.models import QPV, Commune

ZONE_CODE = re.compile(r"^(france|\d{5}|\w{2,3}|\d{9}|99[0-5]\d{2})$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def https_urls(db_field: Any, **kwargs: Any) -> Any:
    """URL fields assume https when the scheme is omitted (Django 6 default, explicit here)."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


def thematique_filter_choices() -> list[Any]:
    """Whole categories first (what the coverage matrix links to), then each thématique by category."""
    return [
        ("", _("Toutes les thématiques")),
        (_("Catégories"), ref.CATEGORIE_CHOICES),
        *ref.thematique_choices_grouped(),
    ]


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Recherche (nom, description, structure)"), required=False, max_length=100)
    thematique = forms.ChoiceField(label=_("Thématique"), required=False, choices=thematique_filter_choices)
    public = forms.ChoiceField(
        label=_("Public"), required=False, choices=[("", _("Tous les publics")), *ref.PUBLIC_CHOICES]
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        required=False,
        queryset=Commune.objects.filter(in_territory=True),
        to_field_name="insee_code",
        empty_label=_("Toutes les communes"),
    )
    qpv = forms.ModelChoiceField(
        label=_("Quartier prioritaire (QPV)"),
        required=False,
        queryset=QPV.objects.filter(in_territory=True),
        to_field_name="code",
        empty_label=_("Tous les QPV"),
    )
    open_now = forms.BooleanField(label=_("Ouvert maintenant"), required=False)

    def filters(self) -> DirectoryFilters:
        if not self.is_valid():
            return DirectoryFilters()
        data = self.cleaned_data
        commune = data.get("commune")
        return DirectoryFilters(
            text=data.get("q") or "",
            thematique=data.get("thematique") or "",
            public=data.get("public") or "",
            commune=commune.insee_code if commune else "",
            qpv=data.get("qpv"),
            open_now=bool(data.get("open_now")),
        )


class ZoneField(forms.CharField):
    """Zone d'éligibilité typed as codes separated by commas or spaces."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def clean(self, value: Any) -> list[str]:
        codes = [c for c in re.split(r"[\s,;]+", super().clean(value) or "") if c]
        wrong = [c for c in codes if not ZONE_CODE.match(c)]
        if wrong:
            raise ValidationError(
                _("Codes non reconnus : %(codes)s (code INSEE, SIREN d'EPCI, département ou « france »).")
                % {"codes": ", ".join(wrong)}
            )
        return codes


class ServiceForm(forms.ModelForm):  # type: ignore[type-arg]
    zone_eligibilite = ZoneField(
        label=_("Zone d'éligibilité"),
        required=False,
        help_text=_(
            "Codes INSEE de communes, SIREN d'EPCI (244200770 pour la Métropole), département (42) ou « france »."
        ),
    )

    class Meta:
        model = Service
        formfield_callback = https_urls
        fields = list(SERVICE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Widget first: setting the field's choices also fills its widget (the other way round the list is empty).
        self.fields["thematiques"].widget = forms.SelectMultiple(attrs={"size": 12})
        self.fields["thematiques"].choices = ref.thematique_choices_grouped()  # type: ignore[attr-defined]
        for name in ("publics_precisions", "conditions_acces", "frais_precisions", "mobilisation_precisions"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 2})

    def clean_publics(self) -> list[str]:
        publics = self.cleaned_data["publics"]
        if "tous-publics" in publics and len(publics) > 1:
            raise ValidationError(_("« Tous publics » ne se combine pas avec d'autres publics."))
        return publics  # type: ignore[no-any-return]


class ActionForm(forms.ModelForm):  # type: ignore[type-arg]
    partners = forms.ModelMultipleChoiceField(
        label=_("Structures partenaires"),
        required=False,
        queryset=Structure.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    qpvs_served = forms.ModelMultipleChoiceField(
        label=_("QPV visés"),
        required=False,
        queryset=QPV.objects.filter(in_territory=True),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Action
        formfield_callback = https_urls
        fields = list(ACTION_FIELDS)
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Widget first: setting the field's choices also fills its widget (the other way round the list is empty).
        self.fields["thematiques"].widget = forms.SelectMultiple(attrs={"size": 10})
        self.fields["thematiques"].choices = ref.thematique_choices_grouped()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin doit suivre le début."))
        return data


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    opening_hours = forms.CharField(
        label=_("Horaires (format OpenStreetMap)"),
        required=False,
        max_length=250,
        help_text=_("Par exemple : Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00"),
    )
    qpvs_served = forms.ModelMultipleChoiceField(
        label=_("QPV desservis"),
        required=False,
        queryset=QPV.objects.filter(in_territory=True),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = StructureProfile
        formfield_callback = https_urls
        fields = [*PROFILE_FIELDS, "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_opening_hours(self) -> str:
        text = str(self.cleaned_data["opening_hours"]).strip()
        if text and not osm_to_slots(text):
            raise ValidationError(_("Horaires illisibles : utilisez par exemple « Mo-Fr 09:00-12:00,14:00-17:00 »."))
        return text


class FunderForm(forms.Form):
    name = forms.CharField(label=_("Financeur"), max_length=200)
    amount = forms.DecimalField(label=_("Montant (€)"), required=False, min_value=0, max_digits=12, decimal_places=2)


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ActionSession
        fields = ["starts_at", "ends_at", "note"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}


class RegistrationForm(forms.ModelForm):  # type: ignore[type-arg]
    lives_in_qpv = forms.NullBooleanField(
        label=_("Habite un QPV"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("Ne sait pas")), ("true", _("Oui")), ("false", _("Non"))]),
    )

    person_id = forms.UUIDField(
        label=_("Identifiant de la personne suivie (facultatif)"),
        required=False,
        help_text=_("Si la personne est dans la cohorte : l'identifiant de sa fiche (adresse de la fiche)."),
    )

    class Meta:
        model = Registration
        fields = ["first_name", "last_name", "email", "phone", "lives_in_qpv", "session"]

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = action.sessions.all()  # type: ignore[attr-defined]
        self.fields["session"].required = False


class ResultsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Action
        fields = ["status", "people_reached", "people_from_qpv", "outcomes"]
        widgets = {"outcomes": forms.Textarea(attrs={"rows": 3})}


ATTENDANCE_CHOICES = Attendance.choices


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Valider et publier")), ("reject", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire (obligatoire en cas de refus)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
