"""The API's answer for a URL that matches no route (an identifier that is not a UUID, say): JSON, as documented
in the schema, not the HTML page of the screens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Introuvable.")}, status=404)
    return page_not_found(request, exception)
