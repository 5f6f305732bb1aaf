from __future__ import annotations

from django import forms

from citemploi.accounts.models import Role, Structure


class StructureForm(forms.ModelForm):
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
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
