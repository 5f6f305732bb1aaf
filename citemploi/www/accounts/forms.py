from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from citemploi.core.mail import mail_later


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Après plusieurs échecs, le compte est temporairement bloqué."
        ),
        "inactive": _("Ce compte est désactivé. Adressez-vous à la coordination."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres de votre application d'authentification"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
    )


class VerifyForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres de votre application, ou un code de secours"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


class DeviceRemoveForm(forms.Form):
    token = forms.CharField(
        label=_("Code actuel de votre application (ou un code de secours)"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


class PasswordResetMailForm(PasswordResetForm):
    """Django's reset form, its mail sent through core.mail.mail_later (after commit; an outage fails nothing)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        mail_later(to=[to_email], subject=subject, body=loader.render_to_string(email_template_name, context))
