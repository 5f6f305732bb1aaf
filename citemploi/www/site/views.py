"""Home page per role, public legal pages and the brand stylesheet."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from citemploi.accounts.models import Role
from citemploi.www.nav import todos_for

LEGAL_PAGES = {
    "mentions-legales": (_("Mentions légales"), "www/legal/mentions.html"),
    "donnees-personnelles": (_("Données personnelles"), "www/legal/privacy.html"),
    "accessibilite": (_("Déclaration d'accessibilité"), "www/legal/accessibility.html"),
}


def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in user can do today: the entries of the navigation registry allowed to them."""
    memberships = request.user.active_memberships  # type: ignore[union-attr]
    context = {"memberships": memberships, "no_role": not memberships, "roles": Role, "todos": todos_for(request.user)}
    return render(request, "www/home.html", context)


@login_not_required
def legal(request: HttpRequest, page: str) -> HttpResponse:
    if page not in LEGAL_PAGES:
        raise Http404
    title, template = LEGAL_PAGES[page]
    return render(request, template, {"title": title, "legal_pages": LEGAL_PAGES})


@login_not_required
@cache_control(max_age=3600, public=True)
def brand_css(request: HttpRequest) -> HttpResponse:
    """The operator's colours as CSS variables (a stylesheet, so the CSP needs no inline style)."""
    color = settings.BRAND["primary_color"]
    css = (
        ":root{"
        f"--brand-primary:{color};--bs-primary:{color};--bs-link-color:{color};"
        f"--bs-link-hover-color:{color};--bs-focus-ring-color:{color}66;"
        "}"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")
