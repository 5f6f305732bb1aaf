"""Import screens: the list, the upload page, one import's page (progress, preview, result) and its actions."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citemploi.intake import selectors, services
from citemploi.intake.models import Category, Import, Kind, State
from citemploi.intake.permissions import can_import, may_undo, may_work_on, undo_deadline
from citemploi.intake.reports import report_csv, report_xlsx
from citemploi.www.intake.forms import LinesForm, MappingForm, UploadForm
from citemploi.www.pathways.access import AuthedRequest, submitted


def _allowed(request: AuthedRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied


def _batch(request: AuthedRequest, public_id: UUID) -> Import:
    _allowed(request)
    return get_object_or_404(Import.objects.visible_to(request.user), public_id=public_id)


def import_list(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    return render(request, "intake/list.html", {"imports": selectors.imports_for(request.user)[:100]})


def import_upload(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    created: list[Import] = []

    def create(data: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / f"depot{Path(data['file'].name or '').suffix.lower()}"
            with path.open("wb") as handle:
                for block in data["file"].chunks():
                    handle.write(block)
            created.append(services.import_create(
                by=request.user, structure=data["structure"], kind=data["kind"], path=path,
                filename=data["file"].name, source=form.chosen_source(),
            ))  # fmt: skip

    if request.method == "POST" and form.is_valid() and submitted(form, create):
        messages.info(request, _("Fichier reçu : l'analyse est lancée."))
        return redirect("intake:detail", public_id=created[0].public_id)
    return render(request, "intake/upload.html", {"form": form}, status=400 if form.errors else 200)


def import_detail(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    batch = _batch(request, public_id)
    user = request.user
    context: dict[str, Any] = {
        "batch": batch,
        "status_url": reverse("intake:status", kwargs={"public_id": batch.public_id}),
        "can_work": may_work_on(user, batch),
        "can_undo": may_undo(user, batch),
        "undo_until": undo_deadline(batch),
        "fields": selectors.mapped_fields(batch) if batch.kind == Kind.PEOPLE else [],
    }
    if batch.state == State.ANALYSED:
        context.update(_preview(batch))
    elif batch.state in (State.CONFIRMED, State.IMPORTED, State.CANCELLED) and batch.counts.get("processed"):
        context["groups"] = _groups(user, batch)
    return render(request, "intake/detail.html", context)


def _cells(batch: Import, row: Any) -> list[object]:
    return [row.values.get(name) or "" for name, _label, _header in selectors.mapped_fields(batch)]


def _preview(batch: Import) -> dict[str, Any]:
    return {
        "preview": [(r, _cells(batch, r)) for r in selectors.preview(batch)],
        "errors": selectors.errors_page(batch),
        "excluded": selectors.excluded_rows(batch),
        "mapping_form": MappingForm(batch=batch) if batch.kind == Kind.PEOPLE else None,
        "lines_form": LinesForm(),
    }


def _groups(user: Any, batch: Import) -> list[dict[str, Any]]:
    groups = []
    for value, label in Category.choices:
        rows = selectors.category_rows(batch, value)
        followed = selectors.followed_of(user, rows) if value == Category.FOLLOWED else {}
        groups.append({"key": value, "label": label, "count": batch.counts.get(value, 0),
                       "rows": [(r, _identity(r), followed.get(r.linked_id or 0)) for r in rows]})  # fmt: skip
    return groups


def _identity(row: Any) -> str:
    v = row.values
    return " ".join(str(v.get(k) or "") for k in ("first_name", "last_name")).strip()


@require_GET
def import_status(request: AuthedRequest, public_id: UUID) -> JsonResponse:
    batch = _batch(request, public_id)
    return JsonResponse({
        "state": batch.state, "state_label": batch.get_state_display(), "percent": batch.percent,
        "processed_rows": batch.processed_rows, "total_rows": batch.total_rows, "working": batch.working,
        "error": batch.error,
    })  # fmt: skip


def _act(request: AuthedRequest, public_id: UUID, action: Callable[[Import], object], success: str) -> HttpResponse:
    """Call one service on the import; a refusal is shown by www.site.errors (flash message, back to the page)."""
    batch = _batch(request, public_id)
    action(batch)
    messages.success(request, success)
    return redirect("intake:detail", public_id=batch.public_id)


@require_POST
def import_mapping(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    batch = _batch(request, public_id)
    form = MappingForm(request.POST, batch=batch)
    if not form.is_valid():
        messages.error(request, _("Correspondances incomplètes : le nom et le prénom sont obligatoires."))
        return redirect("intake:detail", public_id=batch.public_id)
    return _act(request, public_id, lambda b: services.mapping_save(
        by=request.user, batch=b, columns=form.columns(), source=form.cleaned_data["source"]
    ), _("Correspondances enregistrées : le fichier est analysé à nouveau."))  # fmt: skip


@require_POST
def import_exclude(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    _batch(request, public_id)
    form = LinesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("lines", [])) or _("Lignes invalides."))
        return redirect("intake:detail", public_id=public_id)
    include = form.cleaned_data["include"]
    return _act(request, public_id, lambda b: services.rows_exclude(
        by=request.user, batch=b, lines=form.cleaned_data["lines"], excluded=not include
    ), _("Lignes réintégrées.") if include else _("Lignes exclues de l'import."))  # fmt: skip


@require_POST
def import_confirm(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _act(request, public_id, lambda b: services.import_confirm(by=request.user, batch=b),
                _("Import confirmé : le traitement est lancé."))  # fmt: skip


@require_POST
def import_spot(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _act(request, public_id, lambda b: services.import_spot(by=request.user, batch=b),
                _("Personnes repérées : leurs fiches sont créées."))  # fmt: skip


@require_POST
def import_undo(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _act(request, public_id, lambda b: services.import_undo(by=request.user, batch=b),
                _("Import annulé."))  # fmt: skip


@require_GET
def import_report(request: AuthedRequest, public_id: UUID, fmt: str) -> HttpResponseBase:
    batch = _batch(request, public_id)
    stem = Path(batch.original_name).stem
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(report_csv(request.user, batch), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            report_xlsx(request.user, batch),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition_header(True, f"rapport-{stem}.{fmt}") or "attachment"
    return response


@require_GET
def history_template(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    try:
        from citemploi.intake.history import template_workbook  # type: ignore[attr-defined,unused-ignore]
    except ImportError as error:
        raise Http404(_("Le modèle de reprise n'est pas disponible sur cette installation.")) from error
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, "modele-reprise-historique.xlsx") or ""
    return response
