"""ProConnect routes (mozilla-django-oidc views), answering 404 unless USE_PROCONNECT is on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView, OIDCLogoutView


def _enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.USE_PROCONNECT:
            raise Http404
        return view(request, *args, **kwargs)

    return login_not_required(wrapper)


app_name = "proconnect"
urlpatterns = [
    path("connexion/", _enabled(OIDCAuthenticationRequestView.as_view()), name="authenticate"),
    path("retour/", _enabled(OIDCAuthenticationCallbackView.as_view()), name="callback"),
    path("deconnexion/", _enabled(OIDCLogoutView.as_view()), name="logout"),
]
