from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Adresse"), max_length=250, help_text=_("Numéro et voie, par exemple « 12 bis rue de la Paix ».")
    )
    postcode = forms.RegexField(
        label=_("Code postal"), regex=r"^\d{5}$", required=False, max_length=5,
        error_messages={"invalid": _("Le code postal compte 5 chiffres.")},
    )  # fmt: skip
    city = forms.CharField(label=_("Commune"), max_length=120, required=False)


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_("Colonnes lon et lat (et code_insee si vous l'avez), ou adresse, code_postal et commune."),
    )
    geocode = forms.BooleanField(
        label=_("Géocoder les adresses (colonnes adresse, code_postal, commune)"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in (".csv", ".txt", ".xlsx"):
            raise forms.ValidationError(gettext("Formats acceptés : CSV ou XLSX."))
        if upload.size > settings.QPV_FILE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                gettext("Fichier trop volumineux (au plus %(max)s Mo).") % {"max": settings.QPV_FILE_MAX_MB}
            )
        return upload
