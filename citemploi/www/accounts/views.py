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
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from citemploi.accounts import otp
from citemploi.core.errors import PermissionDenied as DomainPermissionDenied
from citemploi.core.errors import ValidationFailed
from citemploi.core.throttle import client_ip, throttle_hit
from citemploi.www.accounts.forms import DeviceRemoveForm, LoginForm, PasswordResetMailForm, TokenForm, VerifyForm


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié », limited per address and per IP (THROTTLE_RATES) whether the account exists or not."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = PasswordResetMailForm

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


def _verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


def otp_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: at the first login of a coordinator or admin, or later from a session that has
    passed the second factor (a second device). With a confirmed device and only the password: the verify page."""
    user = request.user
    if not otp.may_enrol(user, session_verified=_verified(request)):  # type: ignore[arg-type]
        messages.info(request, _("Saisissez d'abord un code de votre application d'authentification actuelle."))
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device = otp.pending_device(user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.device_confirm(
                user=user,  # type: ignore[arg-type]
                device=device,
                token=form.cleaned_data["token"],
                session_verified=_verified(request),
            )
        except ValidationFailed as error:
            form.add_error("token", str(error))
        else:
            otp_login(request, device)
            messages.success(request, _("La double authentification est activée sur votre compte."))
            if codes:
                return render(request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)})
            return redirect(_next_url(request))
    secret = b32encode(device.bin_key).decode()
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    svg.save(buffer)
    context = {"form": form, "secret": secret, "qr_svg": buffer.getvalue().decode(), "next": _next_url(request)}
    return render(request, "accounts/otp_setup.html", context)


def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second factor at each login: a code from the paired app (a code already used is refused), or a single-use
    recovery code."""
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        if devices and otp.recovery_code_use(user=request.user, code=token):  # type: ignore[arg-type]
            otp_login(request, devices[0])
            left = otp.recovery_codes_left(request.user)  # type: ignore[arg-type]
            messages.warning(
                request,
                _(
                    "Code de secours accepté ; il ne servira plus (%(left)s restant(s)). Si vous avez perdu votre "
                    "téléphone, associez une nouvelle application depuis « Mon compte » puis retirez l'ancienne."
                )
                % {"left": left},
            )
            return redirect(_next_url(request))
        form.add_error("token", _("Code incorrect ou déjà utilisé. Attendez le code suivant et réessayez."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


def account(request: HttpRequest) -> HttpResponse:
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("id"))
    context = {
        "has_device": bool(devices),
        "devices": devices,
        "verified": _verified(request),
        "recovery_left": otp.recovery_codes_left(request.user),  # type: ignore[arg-type]
        "remove_form": DeviceRemoveForm(),
    }
    return render(request, "accounts/account.html", context)


@require_POST
def otp_device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of one's devices: from a session that passed the second factor, with a current code."""
    if not _verified(request):
        raise PermissionDenied
    device = get_object_or_404(TOTPDevice, pk=pk, user=request.user, confirmed=True)
    form = DeviceRemoveForm(request.POST)
    if form.is_valid():
        try:
            otp.device_remove(user=request.user, device=device, token=form.cleaned_data["token"].strip())  # type: ignore[arg-type]
        except DomainPermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("L'appareil est retiré de votre compte."))
    else:
        messages.error(request, _("Saisissez un code pour retirer l'appareil."))
    return redirect("accounts:account")
