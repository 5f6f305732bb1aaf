from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.models import Structure, User
from citemploi.core.selectors import AuditFilters


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Utilisateur"), queryset=User.objects.order_by("email"), required=False)
    structure = forms.ModelChoiceField(label=_("Structure"), queryset=Structure.objects.all(), required=False)
    record = forms.CharField(label=_("Fiche (identifiant ou nom)"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            user_id=data["user"].pk if data["user"] else None,
            structure_id=data["structure"].pk if data["structure"] else None,
            record=data["record"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
