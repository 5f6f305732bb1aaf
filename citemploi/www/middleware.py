"""Session inactivity timeout, mandatory two-factor authentication for privileged roles, and the French 429 page
for throttled requests."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from citemploi.accounts.otp import needs_second_factor
from citemploi.core.throttle import Throttled

LAST_SEEN_KEY = "_citemploi_last_seen"

#: URL names a user who still has to pass the second factor may reach.
OTP_EXEMPT_URL_NAMES = {"accounts:otp_setup", "accounts:otp_verify", "accounts:logout", "www:legal", "www:brand_css"}


class IdleTimeoutMiddleware:
    """Log the user out after SESSION_IDLE_MINUTES without a request, and say so on the login page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - float(last_seen) > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.warning(
                    request,
                    _("Votre session a expiré après %(minutes)s minutes d'inactivité. Reconnectez-vous pour continuer.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
            else:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Coordinator and admin sessions must pass TOTP before reaching any page (set it up on first login)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        if not needs_second_factor(request.user):
            return None
        match = request.resolver_match
        if match is None or match.view_name in OTP_EXEMPT_URL_NAMES or request.path.startswith(settings.STATIC_URL):
            return None
        from django_otp import devices_for_user

        has_device = any(True for _device in devices_for_user(request.user, confirmed=True))
        target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")


def throttled_response(request: HttpRequest, error: Throttled) -> HttpResponse:
    """The French 429 page, with Retry-After."""
    response = render(request, "429.html", {"message": error.message}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


class ThrottledMiddleware:
    """A `Throttled` raised by a service anywhere in a web request answers the French 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Throttled):
            return throttled_response(request, exception)
        return None
