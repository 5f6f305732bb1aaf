"""Forms of the pathways screens: every field has a French label; validation of business rules stays in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from citemploi.accounts.models import CASEWORK_ROLES, Role, Structure, StructureKind, User
from citemploi.pathways.choices import Channel, ContactKind, ExitSituation, FreinTheme, HandoffShare
from citemploi.pathways.models import Person, RomeCode
from citemploi.pathways.selectors import ALERT_CHOICES
from citemploi.pathways.states import PathwayState
from citemploi.schemes.models import Scheme
from citemploi.territory.models import QPV

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
IDENTITY_FIELDS = ["first_name", "last_name", "birth_date", "sex", "email", "phone", "address", "postcode", "city"]
SITUATION_FIELDS = [
    "education_level", "ft_registered_since", "ft_category", "rsa", "ass", "aah", "single_parent",
    "french_below_a1", "student", "housing", "rqth", "justice", "ft_id", "imilo_id",
]  # fmt: skip


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A choice field of ``form`` typed as such (its choices are set per request)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class CohortFilterForm(forms.Form):
    q = forms.CharField(label="Nom ou prénom", required=False)
    qpv = forms.ModelChoiceField(label="QPV", queryset=QPV.objects.filter(in_territory=True), required=False)
    relais = forms.ModelChoiceField(
        label="Relais emploi", queryset=Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI), required=False
    )
    structure = forms.ModelChoiceField(label="Structure référente", queryset=Structure.objects.all(), required=False)
    referent = forms.ModelChoiceField(
        label="Référent",
        queryset=User.objects.filter(memberships__role__in=list(CASEWORK_ROLES)).distinct(),
        required=False,
    )
    state = forms.ChoiceField(label="État du parcours", choices=[("", "Tous"), *PathwayState.choices], required=False)
    alert = forms.ChoiceField(label="Alerte", choices=[("", "Toutes")] + ALERT_CHOICES, required=False)

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


# ModelForm is generic only in django-stubs: Django's class is not subscriptable at run time unless
# django_stubs_ext.monkeypatch() ran, so it takes no type argument here.
class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Person
        fields = IDENTITY_FIELDS + SITUATION_FIELDS
        widgets = {"birth_date": DATE, "ft_registered_since": DATE}
        help_texts = {
            "rqth": "Information sensible : visible seulement de la structure référente et de la coordination."
        }

    def __init__(self, *args: Any, sensitive: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sensitive:
            del self.fields["rqth"], self.fields["justice"]


class PersonCreateForm(PersonForm):
    channel = forms.ChoiceField(label="Canal de repérage", choices=Channel.choices)
    spotted_on = forms.DateField(label="Repérée le", widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label="Lieu du repérage", required=False)
    confirm = forms.BooleanField(label="Je confirme qu'il s'agit d'une autre personne : créer la fiche", required=False)

    class Meta(PersonForm.Meta):
        fields = IDENTITY_FIELDS + SITUATION_FIELDS


class NoticeForm(forms.Form):
    informed_on = forms.DateField(label="Informée le", widget=DATE, initial=timezone.localdate)
    notice_version = forms.CharField(label="Version de la notice", initial=lambda: settings.PATHWAYS_NOTICE_VERSION)


class ObjectionForm(forms.Form):
    objected_on = forms.DateField(label="Date de l'opposition", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="Motif (facultatif)", required=False)


class ConsentForm(forms.Form):
    partner = forms.ModelChoiceField(label="Partenaire", queryset=Structure.objects.filter(is_active=True))
    given_on = forms.DateField(label="Consentement donné le", widget=DATE, initial=timezone.localdate)


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label="Retiré le", widget=DATE, initial=timezone.localdate)


class ReferentForm(forms.Form):
    referent = forms.ModelChoiceField(label="Référent unique", queryset=User.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role__in=list(CASEWORK_ROLES)
        ).distinct()
        if not user.has_role(Role.COORDINATOR):
            users = users.filter(memberships__structure_id__in=list(user.structure_ids))
        _model_choice(self, "referent").queryset = users


class StateForm(forms.Form):
    target = forms.ChoiceField(label="Nouvel état")

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "target").choices = choices


class FreinForm(forms.Form):
    theme = forms.ChoiceField(label="Thème du frein", choices=FreinTheme.choices)
    comment = forms.CharField(
        label="Commentaire (reste dans votre structure)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MobilisationForm(forms.Form):
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=Scheme.objects.all())
    structure = forms.ModelChoiceField(label="Structure en charge", queryset=Structure.objects.filter(is_active=True))


class ProposeSchemeForm(forms.Form):
    """The « Proposer » button of the eligibility panel: the scheme by its code (the panel knows no pk)."""

    scheme = forms.ModelChoiceField(label="Dispositif", queryset=Scheme.objects.all(), to_field_name="code")


class HandoffForm(forms.Form):
    to_structure = forms.ModelChoiceField(
        label="Structure destinataire", queryset=Structure.objects.filter(is_active=True)
    )
    reason = forms.CharField(label="Motif de l'orientation", widget=forms.Textarea(attrs={"rows": 3}))
    shared = forms.MultipleChoiceField(
        label="Informations partagées avec la structure destinataire",
        choices=HandoffShare.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="L'identité est toujours partagée. Les informations sensibles et les notes ne le sont jamais.",
    )
    mobilisation = forms.ChoiceField(label="Dispositif concerné (facultatif)", required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [
            (str(m.public_id), f"{m.scheme} ({m.get_state_display()})")
            for m in person.mobilisations.select_related("scheme")
        ]
        _choice(self, "mobilisation").choices = [("", "Aucun"), *options]


class RefuseForm(forms.Form):
    reason = forms.CharField(label="Motif du refus", widget=forms.Textarea(attrs={"rows": 3}))


class FirstMeetingForm(forms.Form):
    met_on = forms.DateField(label="Date du premier rendez-vous", widget=DATE, initial=timezone.localdate)
    enter_scheme = forms.BooleanField(
        label="Enregistrer l'entrée dans le dispositif lié à l'orientation", required=False
    )


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="Type de contact", choices=ContactKind.choices)
    happened_at = forms.DateTimeField(
        label="Date et heure", widget=DATETIME, initial=lambda: timezone.localtime().replace(second=0, microsecond=0)
    )
    initiated_by_person = forms.BooleanField(label="À l'initiative de la personne", required=False)
    note = forms.CharField(
        label="Note (reste dans votre structure)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExitForm(forms.Form):
    exited_on = forms.DateField(label="Date de sortie", widget=DATE, initial=timezone.localdate, required=False)
    situation = forms.ChoiceField(
        label="Situation à la sortie", choices=[("", "— choisir —"), *ExitSituation.choices], required=False
    )
    contract_end_on = forms.DateField(label="Fin prévue du contrat (CDD, intérim)", widget=DATE, required=False)


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label="Suivi fait le", widget=DATE, initial=timezone.localdate)
    situation = forms.ChoiceField(label="Situation constatée", choices=ExitSituation.choices)


class JobForm(forms.Form):
    rome = forms.CharField(label="Code ROME (ex. K2204) ou libellé exact", max_length=250)

    def clean_rome(self) -> RomeCode:
        value = self.cleaned_data["rome"].strip()
        found = (
            RomeCode.objects.filter(code__iexact=value[:5]).first()
            or RomeCode.objects.filter(label__iexact=value).first()
        )
        if found is None:
            raise forms.ValidationError("Code ROME inconnu. Saisissez un code comme K2204 (référentiel ROME v4.60).")
        return found


class MergeForm(forms.Form):
    keep = forms.UUIDField(label="Identifiant de la fiche à conserver")
    absorb = forms.UUIDField(label="Identifiant de la fiche à fusionner (elle sera supprimée)")


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label="Fréquence des courriels",
        choices=[("immediate", "Un courriel à chaque événement"), ("daily", "Un résumé quotidien")],
    )
