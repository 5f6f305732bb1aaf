"""Veille (watch notes on the employment measures) and its Atom feeds.

The feed at ``flux.atom`` requires login like every page. A feed reader cannot log in, so each account also has a
personal address carrying a signed token (``selectors.veille_feed_token``): public, it lists only published entries
(no personal data) and answers 404 once the user regenerated the address (documented in docs/eligibility.md).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from citemploi.accounts.models import User
from citemploi.schemes import selectors, services
from citemploi.schemes.models import VeilleEntry
from citemploi.schemes.permissions import can_manage_veille
from citemploi.www.schemes.forms import VeilleForm


def veille_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    entries = selectors.veille_visible_to(user)
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    feed = reverse("schemes:veille_feed_personal", kwargs={"token": selectors.veille_feed_token(user)})
    context = {"page": page, "query": "", "can_manage": can_manage_veille(user)}
    context["personal_feed_url"] = request.build_absolute_uri(feed)
    return render(request, "schemes/veille_list.html", context)


@require_POST
def veille_feed_regenerate(request: HttpRequest) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    services.veille_feed_key_regenerate(actor=actor)
    messages.success(request, _("Nouvelle adresse du flux créée : l'ancienne ne fonctionne plus."))
    return redirect(reverse("schemes:veille") + "#flux-personnel")


def veille_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    entry = get_object_or_404(selectors.veille_visible_to(request.user), public_id=public_id)
    return render(
        request, "schemes/veille_detail.html", {"entry": entry, "can_manage": can_manage_veille(request.user)}
    )


def veille_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    if not can_manage_veille(request.user):
        raise PermissionDenied
    entry = get_object_or_404(VeilleEntry, public_id=public_id) if public_id else None
    initial = None
    if entry is not None:
        initial = {"date": entry.date, "title": entry.title, "summary": entry.summary, "source_url": entry.source_url}
        initial |= {"schemes": list(entry.schemes.all()), "tags": ", ".join(entry.tags)}
    form = VeilleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        entry = services.veille_entry_save(actor=actor, entry=entry, **form.cleaned_data)
        messages.success(request, _("Note de veille enregistrée."))
        return redirect("schemes:veille_detail", public_id=entry.public_id)
    return render(request, "schemes/veille_form.html", {"form": form, "entry": entry})


@require_POST
def veille_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    if not can_manage_veille(request.user):
        raise PermissionDenied
    entry = get_object_or_404(VeilleEntry, public_id=public_id)
    actor = request.user
    assert isinstance(actor, User)
    publish = request.POST.get("action") != "withdraw"
    services.veille_entry_publish(actor=actor, entry=entry, publish=publish)
    messages.success(request, _("Note publiée.") if publish else _("Note repassée en brouillon."))
    return redirect("schemes:veille_detail", public_id=entry.public_id)


class VeilleFeed(Feed[VeilleEntry, None]):
    """Atom feed of the published veille entries (login required, like the whole site)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Veille sur les dispositifs de l'emploi — Cité de l'emploi")
    subtitle = gettext_lazy("Évolutions des dispositifs de droit commun, notes de la coordination.")

    def link(self) -> str:
        return reverse("schemes:veille")

    def items(self) -> list[VeilleEntry]:
        return list(VeilleEntry.objects.published().order_by("-published_at", "-id")[:50])

    def item_title(self, item: VeilleEntry) -> str:
        return item.title

    def item_description(self, item: VeilleEntry) -> str:
        return item.summary

    def item_link(self, item: VeilleEntry) -> str:
        return reverse("schemes:veille_detail", kwargs={"public_id": item.public_id})

    def item_pubdate(self, item: VeilleEntry) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: VeilleEntry) -> dt.datetime:
        return item.updated_at


class PersonalVeilleFeed(VeilleFeed):
    """The same feed at a public address whose signed token names the reader; a bad or revoked token is a 404."""

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        if selectors.veille_feed_owner(str(kwargs.get("token", ""))) is None:
            raise Http404
