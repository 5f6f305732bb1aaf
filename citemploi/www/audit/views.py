"""Audit screens for the coordinator and the admin: change history, access log, logins.

What each viewer may read is decided by the selectors (`core.selectors`), not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from citemploi.accounts.permissions import can_view_audit, is_coordinator
from citemploi.core.pagination import BoundedPaginator
from citemploi.core.selectors import (
    access_history,
    access_rows,
    change_history,
    change_rows,
    login_history,
    login_rows,
)
from citemploi.www.audit.forms import AuditFilterForm

PAGE_SIZE = 50


def _render(
    request: HttpRequest, tab: str, selector: Callable[..., Any], rows: Callable[..., list[Any]]
) -> HttpResponse:
    if not can_view_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    page = BoundedPaginator(selector(viewer=request.user, filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows(page.object_list, viewer=request.user),
        "tab": tab,
        "query": query.urlencode(),
        "shows_people": is_coordinator(request.user),
    }
    return render(request, "audit/list.html", context)


def changes(request: HttpRequest) -> HttpResponse:
    return _render(request, "changes", change_history, change_rows)


def accesses(request: HttpRequest) -> HttpResponse:
    return _render(request, "accesses", access_history, access_rows)


def logins(request: HttpRequest) -> HttpResponse:
    return _render(request, "logins", login_history, login_rows)
