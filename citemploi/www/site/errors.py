"""Designed error answers: CSRF failure, login lockout, and the 403/404/500 handlers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


def lockout(request: HttpRequest, credentials: object = None, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "errors/lockout.html", status=429)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the page must render even when the database is down.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
