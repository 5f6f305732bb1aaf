"""Audit screens for the coordinator and the admin: change history and access log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from citemploi.accounts.permissions import can_view_audit
from citemploi.core.selectors import access_history, change_history
from citemploi.www.audit.forms import AuditFilterForm

PAGE_SIZE = 50


def _render(request: HttpRequest, tab: str, selector: object) -> HttpResponse:
    if not can_view_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    page = Paginator(selector(form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[operator]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "tab": tab, "query": query.urlencode()})


def changes(request: HttpRequest) -> HttpResponse:
    return _render(request, "changes", change_history)


def accesses(request: HttpRequest) -> HttpResponse:
    return _render(request, "accesses", access_history)
