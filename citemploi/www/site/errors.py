"""Designed error answers: CSRF failure, login lockout, the 403/404/500 handlers, and the one mapping of domain
errors (``citemploi.core.errors``) to HTTP for the pages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.defaults import permission_denied

from citemploi.core.errors import Conflict, DomainError, NotFound, PermissionDenied


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


def lockout(request: HttpRequest, credentials: object = None, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "errors/lockout.html", status=429)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the page must render even when the database is down.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def _back(request: HttpRequest) -> str:
    """Where to show the refusal: the page the form was posted from (same site), else the posted URL."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return request.get_full_path()


class DomainErrorMiddleware:
    """The one place where a refused operation becomes an answer of the pages (the API has its own handler,
    ``citemploi.api.errors.exception_handler``):

    - ``NotFound`` (a record the user may not see, or a missing one): the designed 404 page;
    - ``PermissionDenied`` (an action the user may not take on a record they see): the designed 403 page, with the
      French message;
    - any other ``DomainError`` on a POST (refused transition, conflict, invalid input): the French message as a
      flash message and a redirect (303) to the page the form was posted from (nothing was changed);
    - on a GET: the designed error page with the message, status 400 (409 for a conflict).

    Records the user may not see never get here: reads are scoped by ``visible_to`` and answer 404 first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, DjangoPermissionDenied(exception.message))
        if request.method == "POST":
            messages.error(request, exception.message)
            return HttpResponseRedirect(_back(request), status=303)
        status = 409 if isinstance(exception, Conflict) else 400
        return render(request, "errors/refused.html", {"message": exception.message}, status=status)
