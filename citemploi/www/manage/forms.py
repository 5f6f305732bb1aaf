from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Role, Structure


class StructureForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Structure
        fields = [
            "name",
            "kind",
            "siret",
            "address",
            "postcode",
            "city",
            "insee_code",
            "email",
            "phone",
            "bound_by_secret",
            "charter_signed_on",
            "is_active",
        ]
        widgets = {"charter_signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    role = forms.ChoiceField(label=_("Rôle"), choices=[("", _("— Choisir un rôle —")), *Role.choices])
    confirm = forms.BooleanField(
        label=_("Je confirme attribuer ce rôle en connaissance de cause"),
        required=False,
        widget=forms.HiddenInput,
    )
