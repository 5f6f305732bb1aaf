"""Refuse an oversized request from its Content-Length, before a byte of the body is read (issue 9 §16).

A file upload may declare up to UPLOAD_MAX_MB (plus a little for the other form fields); any other body (a form, a
JSON API call) up to DATA_UPLOAD_MAX_MEMORY_SIZE. Django then enforces the same limits while reading; this check
spares the worker the reading of a body that will be refused anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

FORM_OVERHEAD = 256 * 1024  # the other fields of a multipart form, and the multipart boundaries


def declared_limit(request: HttpRequest) -> int:
    if request.content_type == "multipart/form-data":
        return int(settings.UPLOAD_MAX_MB) * 1024 * 1024 + FORM_OVERHEAD
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > declared_limit(request):
            message = _("Envoi trop volumineux : un fichier fait au plus %(max)s Mo.") % {"max": settings.UPLOAD_MAX_MB}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
