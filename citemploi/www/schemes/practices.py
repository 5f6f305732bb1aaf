"""Library of good practices, searchable by data·inclusion thématique and by text."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.schemes import selectors, services
from citemploi.schemes.models import GoodPractice, GoodPracticeAttachment
from citemploi.schemes.permissions import can_add_good_practice, can_edit_good_practice
from citemploi.www.schemes.forms import THEMATIQUE_LABELS, GoodPracticeForm, PracticeSearchForm


def practice_list(request: HttpRequest) -> HttpResponse:
    form = PracticeSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    practices = selectors.good_practice_search(text=filters.get("q", ""), thematique=filters.get("thematique", ""))
    page = Paginator(practices, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "labels": THEMATIQUE_LABELS}
    context["can_add"] = can_add_good_practice(request.user)
    return render(request, "schemes/practice_list.html", context)


def practice_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    practice = get_object_or_404(GoodPractice.objects.prefetch_related("attachments"), public_id=public_id)
    thematiques = [THEMATIQUE_LABELS.get(slug, slug) for slug in practice.thematiques]
    context = {"practice": practice, "thematiques": thematiques}
    context["can_edit"] = can_edit_good_practice(request.user, practice)
    return render(request, "schemes/practice_detail.html", context)


def practice_create(request: HttpRequest) -> HttpResponse:
    if not can_add_good_practice(request.user):
        raise PermissionDenied
    form = GoodPracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        data = dict(form.cleaned_data)
        upload = data.pop("attachment")
        practice = services.good_practice_create(actor=actor, attachments=[upload] if upload else [], **data)
        messages.success(request, _("Bonne pratique ajoutée à la bibliothèque."))
        return redirect("schemes:practice_detail", public_id=practice.public_id)
    return render(request, "schemes/practice_form.html", {"form": form, "practice": None})


def practice_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    # Every account reads the library, so a practice one may not edit answers 403 (not 404: it is not hidden).
    practice = get_object_or_404(GoodPractice.objects.prefetch_related("attachments"), public_id=public_id)
    if not can_edit_good_practice(request.user, practice):
        raise PermissionDenied
    initial = {field: getattr(practice, field) for field in ("title", "territory", "description", "results")}
    initial |= {"contact": practice.contact, "thematiques": practice.thematiques}
    form = GoodPracticeForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        data = dict(form.cleaned_data)
        upload = data.pop("attachment")
        services.good_practice_update(actor=actor, practice=practice, attachments=[upload] if upload else [], **data)
        messages.success(request, _("Bonne pratique modifiée."))
        return redirect("schemes:practice_detail", public_id=practice.public_id)
    return render(request, "schemes/practice_form.html", {"form": form, "practice": practice})


def attachment_download(request: HttpRequest, public_id: str) -> HttpResponse:
    # Read whole (attachments are small documents) rather than streamed: the file is closed before answering.
    attachment = get_object_or_404(GoodPracticeAttachment, public_id=public_id)
    with attachment.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or "attachment"
    return response
