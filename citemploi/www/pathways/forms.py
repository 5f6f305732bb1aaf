"""Forms of the pathways screens: every field has a French label; validation of business rules stays in services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import CASEWORK_ROLES, Role, Structure, StructureKind, User
from citemploi.core.validators import TEXT_MAX_LENGTH
from citemploi.pathways.choices import Channel, ContactKind, ExitSituation, FreinTheme, FTCategory, HandoffShare
from citemploi.pathways.models import Mobilisation, Person, RomeCode
from citemploi.pathways.selectors import ALERT_CHOICES
from citemploi.pathways.services.mobilisations import closing_choices, outcome_field
from citemploi.pathways.states import MobilisationState, PathwayState
from citemploi.schemes.models import Scheme
from citemploi.territory.models import QPV
from citemploi.www.pathways.forms_unmet import NoSolutionForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
IDENTITY_FIELDS = ["first_name", "last_name", "birth_date", "sex", "email", "phone", "address", "postcode", "city"]
SITUATION_FIELDS = [
    "education_level", "ft_registered", "ft_registered_since", "ft_category", "rsa", "ass", "aah", "single_parent",
    "french_below_a1", "student", "in_training", "housing", "former_cui", "rqth", "boe_title", "justice", "ft_id",
    "imilo_id",
]  # fmt: skip
SENSITIVE_FORM_FIELDS = ("rqth", "boe_title", "justice")
#: Three-valued facts (issue 11): « non renseigné » is a choice of its own, and the default.
UNKNOWN_LABEL = _("Non renseigné")
#: The empty first choice of a required list (issue 10, item 8): nothing is preselected, the user chooses.
CHOOSE = _("— choisir —")


class TriStateSelect(forms.NullBooleanSelect):
    """oui / non / non renseigné, « non renseigné » first (the default of a new record)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", UNKNOWN_LABEL), ("true", _("Oui")), ("false", _("Non"))]


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
    q = forms.CharField(label=_("Nom ou prénom"), required=False)
    qpv = forms.ModelChoiceField(label=_("QPV"), queryset=QPV.objects.filter(in_territory=True), required=False)
    relais = forms.ModelChoiceField(
        label=_("Relais emploi"), queryset=Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI), required=False
    )
    structure = forms.ModelChoiceField(label=_("Structure référente"), queryset=Structure.objects.all(), required=False)
    referent = forms.ModelChoiceField(
        label=_("Référent"),
        queryset=User.objects.filter(memberships__role__in=list(CASEWORK_ROLES)).distinct(),
        required=False,
    )
    state = forms.ChoiceField(
        label=_("État du parcours"), choices=[("", _("Tous")), *PathwayState.choices], required=False
    )
    alert = forms.ChoiceField(label=_("Alerte"), choices=[("", _("Toutes")), *ALERT_CHOICES], required=False)

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
            "rqth": _("Information sensible : visible seulement de la structure référente et de la coordination.")
        }

    def __init__(self, *args: Any, sensitive: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.NullBooleanField):
                field.widget = TriStateSelect()
            elif isinstance(field, forms.TypedChoiceField) and not field.required:
                choices = [c for c in list(field.choices) if c[0] not in ("", None)]  # type: ignore[arg-type]
                field.choices = [("", UNKNOWN_LABEL), *choices]
        if not sensitive:
            for name in SENSITIVE_FORM_FIELDS:
                del self.fields[name]


class PersonEditForm(PersonForm):
    """The edit form carries the record's version it was drawn from: a save made meanwhile by someone else is
    refused (Conflict) instead of being overwritten by the fields of this form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class PersonCreateForm(PersonForm):
    channel = forms.ChoiceField(label=_("Canal de repérage"), choices=Channel.choices)
    spotted_on = forms.DateField(label=_("Repérée le"), widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label=_("Lieu du repérage"), required=False, max_length=200)
    confirm = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'une autre personne : créer la fiche"), required=False
    )

    class Meta(PersonForm.Meta):
        fields = IDENTITY_FIELDS + SITUATION_FIELDS


class NoticeForm(forms.Form):
    informed_on = forms.DateField(label=_("Informée le"), widget=DATE, initial=timezone.localdate)
    notice_version = forms.CharField(
        label=_("Version de la notice"), max_length=40, initial=lambda: settings.PATHWAYS_NOTICE_VERSION
    )


class ObjectionForm(forms.Form):
    objected_on = forms.DateField(label=_("Date de l'opposition"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Motif (facultatif)"), required=False, max_length=250)


class ConsentForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partenaire"), queryset=Structure.objects.filter(is_active=True))
    given_on = forms.DateField(label=_("Consentement donné le"), widget=DATE, initial=timezone.localdate)


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Retiré le"), widget=DATE, initial=timezone.localdate)


class ReferentForm(forms.Form):
    referent = forms.ModelChoiceField(label=_("Référent unique"), queryset=User.objects.none(), empty_label=CHOOSE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role__in=list(CASEWORK_ROLES)
        ).distinct()
        if not user.has_role(Role.COORDINATOR):
            users = users.filter(memberships__structure_id__in=list(user.structure_ids))
        _model_choice(self, "referent").queryset = users


class StateForm(forms.Form):
    target = forms.ChoiceField(label=_("Nouvel état"))

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "target").choices = [("", CHOOSE), *choices]


class PathwayStateForm(StateForm):
    """The manual moves of the pathway (« perdu de vue », « refus »): the reason is mandatory."""

    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}))


class FreinForm(forms.Form):
    theme = forms.ChoiceField(label=_("Thème du frein"), choices=[("", CHOOSE), *FreinTheme.choices])
    identified_on = forms.DateField(label=_("Identifié le"), widget=DATE, initial=timezone.localdate)
    comment = forms.CharField(
        label=_("Commentaire (reste dans votre structure)"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MobilisationForm(NoSolutionForm):
    solution_fields = ("scheme", "structure")
    field_order = ["scheme", "structure", "no_solution", "thematique"]

    scheme = forms.ModelChoiceField(
        label=_("Dispositif"), queryset=Scheme.objects.all(), empty_label=CHOOSE, required=False
    )
    structure = forms.ModelChoiceField(
        label=_("Structure en charge"),
        queryset=Structure.objects.filter(is_active=True),
        empty_label=CHOOSE,
        required=False,
        help_text=_(
            "La structure qui porte le dispositif (l'un de ses opérateurs). Si vous orientez ensuite la personne "
            "vers une autre structure qui le porte, elle en prendra la charge à l'accusé de réception."
        ),
    )

    def __init__(self, *args: Any, scheme: Scheme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scheme is not None:  # from the « Proposer » button of the eligibility panel: its operators only
            self.initial["scheme"] = scheme.pk
            if scheme.operators:
                field = _model_choice(self, "structure")
                field.queryset = Structure.objects.filter(is_active=True, kind__in=scheme.operators)


class ProposeSchemeForm(forms.Form):
    """The « Proposer » button of the eligibility panel: the scheme by its code (the panel knows no pk)."""

    scheme = forms.ModelChoiceField(label=_("Dispositif"), queryset=Scheme.objects.all(), to_field_name="code")


class HandoffForm(NoSolutionForm):
    solution_fields = ("to_structure", "reason")
    field_order = ["to_structure", "reason", "shared", "mobilisation", "no_solution", "thematique"]

    to_structure = forms.ModelChoiceField(
        label=_("Structure destinataire"),
        queryset=Structure.objects.filter(is_active=True),
        empty_label=CHOOSE,
        required=False,
    )
    reason = forms.CharField(
        label=_("Motif de l'orientation"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    shared = forms.MultipleChoiceField(
        label=_("Informations partagées avec la structure destinataire"),
        choices=HandoffShare.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[HandoffShare.CONTACT],  # the receiver needs to reach the person; the sender may untick it
        help_text=_(
            "L'identité est toujours partagée ; les coordonnées le sont par défaut (décochez-les si la personne ne "
            "le souhaite pas). Les informations sensibles et les notes ne le sont jamais."
        ),
    )
    mobilisation = forms.ChoiceField(label=_("Dispositif concerné (facultatif)"), required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [
            (str(m.public_id), f"{m.scheme} ({m.get_state_display()})")
            for m in person.mobilisations.select_related("scheme")
        ]
        _choice(self, "mobilisation").choices = [("", _("Aucun")), *options]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class FirstMeetingForm(forms.Form):
    met_on = forms.DateField(label=_("Date du premier rendez-vous"), widget=DATE, initial=timezone.localdate)
    enter_scheme = forms.BooleanField(
        label=_("Enregistrer l'entrée dans le dispositif lié à l'orientation"), required=False
    )


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de contact"), choices=[("", CHOOSE), *ContactKind.choices])
    happened_at = forms.DateTimeField(
        label=_("Date et heure"), widget=DATETIME, initial=lambda: timezone.localtime().replace(second=0, microsecond=0)
    )
    initiated_by_person = forms.BooleanField(label=_("À l'initiative de la personne"), required=False)
    note = forms.CharField(
        label=_("Note (reste dans votre structure)"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ExitForm(forms.Form):
    exited_on = forms.DateField(label=_("Date de sortie"), widget=DATE, initial=timezone.localdate, required=False)
    situation = forms.ChoiceField(
        label=_("Situation à la sortie"), choices=[("", _("— choisir —")), *ExitSituation.choices], required=False
    )
    contract_start_on = forms.DateField(
        label=_("Début du contrat (par défaut : le jour de la sortie)"), widget=DATE, required=False
    )
    contract_end_on = forms.DateField(label=_("Fin prévue du contrat (CDD, intérim)"), widget=DATE, required=False)
    weekly_hours = forms.DecimalField(
        label=_("Heures par semaine"), min_value=0, max_value=80, decimal_places=1, required=False
    )

    def __init__(self, *args: Any, mobilisations: Sequence[Mobilisation] = (), **kwargs: Any) -> None:
        """One choice per open mobilisation: what becomes of it (the sortie closes it; default « sortie »)."""
        super().__init__(*args, **kwargs)
        labels = dict(MobilisationState.choices)
        self.outcome_fields: dict[str, str] = {}
        for mobilisation in mobilisations:
            name = outcome_field(mobilisation)
            choices = closing_choices(mobilisation)
            self.fields[name] = forms.ChoiceField(
                label=_("Dispositif %(scheme)s (%(state)s) : que devient-il ?")
                % {"scheme": mobilisation.scheme, "state": mobilisation.get_state_display()},
                choices=[(c, labels[c]) for c in choices],
                initial=choices[0],
            )
            self.outcome_fields[name] = str(mobilisation.public_id)

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `exit_record` takes it: the outcomes gathered by mobilisation public id."""
        data = dict(self.cleaned_data)
        data["mobilisation_outcomes"] = {key: data.pop(name) for name, key in self.outcome_fields.items()}
        return data


class RegistrationPeriodForm(forms.Form):
    start = forms.DateField(label=_("Début de l'inscription"), widget=DATE)
    end = forms.DateField(label=_("Fin (vide si en cours)"), widget=DATE, required=False)
    category = forms.ChoiceField(
        label=_("Catégorie"), choices=[("", UNKNOWN_LABEL), *FTCategory.choices], required=False
    )

    def clean_category(self) -> str | None:
        return self.cleaned_data["category"] or None


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Suivi fait le"), widget=DATE, initial=timezone.localdate)
    situation = forms.ChoiceField(label=_("Situation constatée"), choices=[("", CHOOSE), *ExitSituation.choices])
    still_employed = forms.NullBooleanField(label=_("Toujours en emploi"), required=False, widget=TriStateSelect())


class JobForm(forms.Form):
    rome = forms.CharField(label=_("Code ROME (ex. K2204) ou libellé exact"), max_length=250)

    def clean_rome(self) -> RomeCode:
        value = self.cleaned_data["rome"].strip()
        found = (
            RomeCode.objects.filter(code__iexact=value[:5]).first()
            or RomeCode.objects.filter(label__iexact=value).first()
        )
        if found is None:
            raise forms.ValidationError(_("Code ROME inconnu. Saisissez un code comme K2204 (référentiel ROME v4.60)."))
        return found


class MergeForm(forms.Form):
    keep = forms.UUIDField(label=_("Identifiant de la fiche à conserver"))
    absorb = forms.UUIDField(label=_("Identifiant de la fiche à fusionner (elle sera supprimée)"))


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Fréquence des courriels"),
        choices=[("immediate", _("Un courriel à chaque événement")), ("daily", _("Un résumé quotidien"))],
    )
