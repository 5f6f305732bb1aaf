"""Login, logout, two-factor set-up and verification, account page."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from citemploi.core.throttle import client_ip, throttle_hit
from citemploi.www.accounts.forms import LoginForm, TokenForm


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié », limited per address and per IP (THROTTLE_RATES) whether the account exists or not."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle_hit(scope="password_reset_ip", key=client_ip(request.META))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        throttle_hit(scope="password_reset_email", key=form.cleaned_data["email"].strip().lower())
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


def otp_setup(request: HttpRequest) -> HttpResponse:
    """First login of a coordinator or admin: pair an authenticator app, then confirm with one code."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Application"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("La double authentification est activée sur votre compte."))
            return redirect(_next_url(request))
        form.add_error("token", _("Code incorrect. Vérifiez l'heure de votre téléphone et saisissez le code affiché."))
    secret = b32encode(device.bin_key).decode()
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    svg.save(buffer)
    context = {"form": form, "secret": secret, "qr_svg": buffer.getvalue().decode(), "next": _next_url(request)}
    return render(request, "accounts/otp_setup.html", context)


def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second factor at each login: a code from the paired app; a code already used is refused."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("Code incorrect ou déjà utilisé. Attendez le code suivant et réessayez."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


def account(request: HttpRequest) -> HttpResponse:
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "accounts/account.html", {"has_device": has_device})
