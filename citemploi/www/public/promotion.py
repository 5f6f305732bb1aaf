"""Promotion pages (issue 15 §7): the public newsletter, its e-mail version for the coordinator, the agenda widget.

Framing: every page of the site answers ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``
(config/settings.py). The widget alone is exempt from X-Frame-Options and gets its ``frame-ancestors`` from the
setting ``WIDGET_FRAME_ANCESTORS``, through django-csp's per-response policy (the one way CSP headers are set),
read at each request.

The e-mail HTML needs inline styles (mail clients ignore stylesheets), which the site's CSP forbids: it is never
rendered inside our pages. The coordinator's page shows its source in a read-only text area, and the HTML itself
is a separate download (``attachment``) answered with its own restricted CSP (no script, no form, no framing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.decorators import csp
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

from citemploi.evaluation.periods import Period, month_of
from citemploi.governance.promotion import Newsletter, newsletter, newsletter_for_mailing, widget_agenda
from citemploi.pathways.exits import add_months

#: The policy of the e-mail HTML download: inline styles and images only (it is opened outside the site).
EMAIL_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["http:", "https:", "data:"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'none'"],
    "base-uri": ["'none'"],
}


class MonthForm(forms.Form):
    mois = forms.DateField(
        label=_("Mois"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Au format AAAA-MM, par exemple 2026-03."),
    )


def _month(request: HttpRequest) -> tuple[MonthForm, Period]:
    """The month asked for (``?mois=AAAA-MM``), else the current one; a wrong value shows its error on the form."""
    form = MonthForm(request.GET if "mois" in request.GET else None)
    if form.is_valid():
        return form, month_of(form.cleaned_data["mois"])
    month = month_of(timezone.localdate())
    if not form.is_bound:
        form = MonthForm(initial={"mois": month.start})
    return form, month


def _neighbours(month: Period) -> dict[str, str]:
    return {
        "previous_month": f"{add_months(month.start, -1):%Y-%m}",
        "next_month": f"{add_months(month.start, 1):%Y-%m}",
    }


@login_not_required
def newsletter_page(request: HttpRequest) -> HttpResponse:
    form, month = _month(request)
    context = {"form": form, "letter": newsletter(month), **_neighbours(month)}
    return render(request, "public/newsletter.html", context)


def _absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def _email_context(letter: Newsletter) -> dict[str, Any]:
    """What the e-mail templates need: absolute links only (the letter is read outside the site)."""
    brand = dict(settings.BRAND)
    brand["logo_url"] = _absolute(brand["logo_url"]) if brand["logo_url"] else ""
    return {
        "letter": letter,
        "brand": brand,
        "site_url": settings.SITE_URL,
        "page_url": _absolute(f"{reverse('public:newsletter')}?mois={letter.month.start:%Y-%m}"),
        "agenda_url": _absolute(reverse("public:agenda")),
        "relais_url": _absolute(reverse("public:relais")),
    }


def email_html(letter: Newsletter) -> str:
    return render_to_string("public/email/newsletter.html", _email_context(letter))


def email_text(letter: Newsletter) -> str:
    return render_to_string("public/email/newsletter.txt", _email_context(letter))


def newsletter_email(request: HttpRequest) -> HttpResponse:
    """The coordinator's page: the e-mail version's HTML source and plain text, to copy, and their downloads."""
    form, month = _month(request)
    letter = newsletter_for_mailing(request.user, month)
    context = {
        "form": form,
        "letter": letter,
        "html_source": email_html(letter),
        "text_source": email_text(letter),
        "widget_url": _absolute(reverse("public:agenda_widget")),
        "widget_origins": settings.WIDGET_FRAME_ANCESTORS,
        **_neighbours(month),
    }
    return render(request, "public/newsletter_email.html", context)


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@csp(EMAIL_CSP)  # django-csp: this response's own policy, instead of the site's
def newsletter_email_html(request: HttpRequest) -> HttpResponse:
    _form, month = _month(request)
    body = email_html(newsletter_for_mailing(request.user, month))
    return _download(body, "text/html; charset=utf-8", f"lettre-{month.start:%Y-%m}.html")


def newsletter_email_text(request: HttpRequest) -> HttpResponse:
    _form, month = _month(request)
    body = email_text(newsletter_for_mailing(request.user, month))
    return _download(body, "text/plain; charset=utf-8", f"lettre-{month.start:%Y-%m}.txt")


def frameable_by_widget_hosts(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the origins of ``WIDGET_FRAME_ANCESTORS`` (read at each request) frame this view, and no one else:
    CSP ``frame-ancestors`` replaced for this response only, and no X-Frame-Options (which cannot list origins)."""

    @xframe_options_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        origins = list(settings.WIDGET_FRAME_ANCESTORS) or ["'none'"]
        response._csp_replace = {"frame-ancestors": origins}  # type: ignore[attr-defined]
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_not_required
@frameable_by_widget_hosts
@cache_control(max_age=300, public=True)  # the same for everyone (no account links): partners' pages hit it often
def agenda_widget(request: HttpRequest) -> HttpResponse:
    """The embeddable agenda: next public events, minimal layout, every link opening outside the frame."""
    items, meetings = widget_agenda()
    return render(request, "public/widget.html", {"items": items, "meetings": meetings})
