"""The one mapping of domain errors (``citemploi.core.errors``) to HTTP for the API (``EXCEPTION_HANDLER``).

``NotFound`` → 404 (a record the caller may not see), ``PermissionDenied`` → 403, ``Conflict`` → 409, ``InvalidTransition`` and ``ValidationFailed`` (and any other
``DomainError``) → 400; the body is ``{"detail": "<French message>"}``. Everything else goes to DRF's handler.
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from citemploi.core.errors import Conflict, DomainError, NotFound, PermissionDenied


def status_of(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(error, PermissionDenied):
        return status.HTTP_403_FORBIDDEN
    if isinstance(error, Conflict):
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        set_rollback()  # as DRF does for its own errors (under ATOMIC_REQUESTS)
        return Response({"detail": exc.message}, status=status_of(exc))
    return drf_exception_handler(exc, context)
