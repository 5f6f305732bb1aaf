"""Forms of the receiver's side of a hand-off (planning, holding, replying) and of the alerts inbox filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import CASEWORK_ROLES, Role, Structure, StructureKind, User
from citemploi.pathways import alerts
from citemploi.pathways.choices import FreinTheme
from citemploi.pathways.models import Appointment
from citemploi.pathways.models.appointment import REPLY_MAX_LENGTH
from citemploi.pathways.services.appointments import MOBILISATION_PATHS, in_charge
from citemploi.pathways.states import MobilisationState

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
REPLY_HELP = _(
    "%(max)s caractères au plus. La réponse est visible par les deux structures : n'y écrivez aucune information "
    "sensible (santé, justice, situation personnelle)."
) % {"max": REPLY_MAX_LENGTH}


def _reply_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Réponse à la structure émettrice"),
        max_length=REPLY_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REPLY_MAX_LENGTH}),
        help_text=REPLY_HELP,
    )


class AppointmentPlanForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date et heure du premier rendez-vous"), widget=DATETIME)
    place = forms.CharField(label=_("Lieu (facultatif)"), max_length=200, required=False)


class AppointmentHoldForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Date et heure du rendez-vous tenu"), widget=DATETIME)
    mobilisation_target = forms.ChoiceField(label=_("Dispositif lié à l'orientation"), required=False)
    frein_theme = forms.ChoiceField(
        label=_("Frein repéré pendant le rendez-vous (facultatif)"),
        choices=[("", _("— aucun —")), *FreinTheme.choices],
        required=False,
    )
    reply = _reply_field(required=False)

    def __init__(self, *args: Any, appointment: Appointment, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start = appointment.starts_at
        self.initial.setdefault("held_at", timezone.localtime(min(start, timezone.now())).replace(second=0))
        field = self.fields["mobilisation_target"]
        assert isinstance(field, forms.ChoiceField)
        mobilisation = appointment.handoff.mobilisation
        if mobilisation is None or not in_charge(user, mobilisation):
            del self.fields["mobilisation_target"]
        else:
            labels = dict(MobilisationState.choices)
            field.label = _("Dispositif %(scheme)s (%(state)s) : que devient-il ?") % {
                "scheme": mobilisation.scheme,
                "state": mobilisation.get_state_display(),
            }
            field.choices = [("", _("— inchangé —")), *((s, labels[s]) for s in MOBILISATION_PATHS)]


class ReplyForm(forms.Form):
    message = _reply_field(required=True)


class AlertFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'alerte"), choices=[("", _("Tous")), *alerts.KIND_CHOICES], required=False)
    relais = forms.ModelChoiceField(
        label=_("Relais emploi"),
        queryset=Structure.objects.filter(kind=StructureKind.RELAIS_EMPLOI).order_by("sort_name", "id"),
        required=False,
        empty_label=_("Tous"),
    )
    referent = forms.ModelChoiceField(
        label=_("Référent"), queryset=User.objects.none(), required=False, empty_label=_("Tous")
    )
    age = forms.ChoiceField(label=_("Ancienneté"), choices=[("", _("Toutes")), *alerts.AGE_CHOICES], required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(
            memberships__role__in=list(CASEWORK_ROLES), memberships__is_active=True, is_active=True
        )
        if not user.has_role(Role.COORDINATOR):
            users = users.filter(memberships__structure_id__in=list(user.structure_ids))
        field = self.fields["referent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = users.distinct().order_by("sort_name")

    def filters(self) -> alerts.Filters:
        if not self.is_bound or not self.is_valid():
            return alerts.Filters()
        data = self.cleaned_data
        return alerts.Filters(kind=data["kind"], relais=data["relais"], referent=data["referent"], age=data["age"])
