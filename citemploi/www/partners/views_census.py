"""Census tools for the coordination: completeness, coverage matrix, exports, moderation queue."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.core.exports import safe_row, stream_csv
from citemploi.partners.coverage import completeness_table, coverage_matrix
from citemploi.partners.exports import EXPORTS
from citemploi.partners.models import Revision, RevisionStatus
from citemploi.partners.permissions import can_moderate
from citemploi.partners.services import revision_approve, revision_diff, revision_reject
from citemploi.www.partners.forms import ReviewForm
from citemploi.www.partners.views_directory import require_census


def completeness_view(request: HttpRequest) -> HttpResponse:
    require_census(request)
    context = {"rows": completeness_table(), "stale_days": settings.PARTNERS_STALE_DAYS}
    return render(request, "partners/completeness.html", context)


def coverage(request: HttpRequest) -> HttpResponse:
    require_census(request)
    columns, rows = coverage_matrix()
    return render(request, "partners/coverage.html", {"columns": columns, "rows": rows})


def export(request: HttpRequest, what: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The census as CSV or XLSX (no personal data; cells neutralised against formula injection)."""
    require_census(request)
    if what not in EXPORTS or fmt not in {"csv", "xlsx"}:
        raise Http404
    header, rows = EXPORTS[what]()
    filename = f"recensement-{what}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            stream_csv(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            _xlsx(what, header, rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx(title: str, header: list[str], rows: Iterator[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    # strings_to_formulas off: text is never read as a formula; safe_row quotes it for other tools too.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, safe_row(header), bold)
    for n, row in enumerate(rows, start=1):
        sheet.write_row(n, 0, safe_row(row))
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def moderation(request: HttpRequest) -> HttpResponse:
    """Pending proposals, oldest first, and the last examined ones."""
    if not can_moderate(request.user):
        raise PermissionDenied
    base = Revision.objects.select_related("service__structure", "action__carrier", "author")
    pending = base.filter(status=RevisionStatus.PENDING).order_by("created_at")
    done = base.exclude(status=RevisionStatus.PENDING).select_related("reviewer").order_by("-reviewed_at")[:20]
    return render(request, "partners/moderation.html", {"pending": pending, "done": done})


def revision(request: HttpRequest, public_id: str) -> HttpResponse:
    """What a proposal changes (diff) and the decision form."""
    if not can_moderate(request.user):
        raise PermissionDenied
    obj = get_object_or_404(
        Revision.objects.select_related("service__structure", "action__carrier", "author"), public_id=public_id
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and obj.status == RevisionStatus.PENDING:
        if form.cleaned_data["decision"] == "approve":
            revision_approve(actor=request.user, revision=obj, comment=form.cleaned_data["comment"])  # type: ignore[arg-type]
            messages.success(request, _("Proposition validée : l'entrée est publiée."))
        else:
            revision_reject(actor=request.user, revision=obj, comment=form.cleaned_data["comment"])  # type: ignore[arg-type]
            messages.info(request, _("Proposition refusée."))
        return redirect("partners:moderation")
    context = {"revision": obj, "diff": revision_diff(obj), "form": form, "is_new": not obj.before}
    return render(request, "partners/revision.html", context)
