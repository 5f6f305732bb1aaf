"""The API's answers for errors, in one place.

``exception_handler`` (DRF's ``EXCEPTION_HANDLER``) is the one mapping of domain errors (``citemploi.core.errors``)
to HTTP for the API: ``NotFound`` → 404 (a record the caller may not see), ``PermissionDenied`` → 403, ``Conflict``
→ 409, ``Throttled`` → 429, ``InvalidTransition`` and ``ValidationFailed`` (and any other ``DomainError``) → 400;
the body is ``{"detail": "<French message>"}``, with ``"field"`` when the rule names the input at fault.
Everything else goes to DRF's handler. ``not_found`` answers a URL that matches no route under /api/ in JSON, as
documented in the schema, not with the HTML page of the screens.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from citemploi.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from citemploi.core.throttle import Throttled


def status_of(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(error, PermissionDenied):
        return status.HTTP_403_FORBIDDEN
    if isinstance(error, Conflict):
        return status.HTTP_409_CONFLICT
    if isinstance(error, Throttled):
        return status.HTTP_429_TOO_MANY_REQUESTS
    return status.HTTP_400_BAD_REQUEST


def body_of(error: DomainError) -> dict[str, str]:
    field = error.field if isinstance(error, ValidationFailed) else None
    return {"detail": error.message} | ({"field": field} if field else {})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        set_rollback()  # as DRF does for its own errors (under ATOMIC_REQUESTS)
        return Response(body_of(exc), status=status_of(exc))
    return drf_exception_handler(exc, context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Introuvable.")}, status=404)
    return page_not_found(request, exception)
