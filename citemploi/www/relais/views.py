"""Pages of the relais network: the list, one relais' page, its monthly report (edit, submit, import, review)
and the coordinator's consolidated table with its export. Thin: read the input, call a selector or a service."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citemploi.accounts.models import Structure, StructureKind
from citemploi.accounts.permissions import is_coordinator
from citemploi.core.errors import NotFound, PermissionDenied
from citemploi.evaluation.exports import FORMATS
from citemploi.relais import consolidated, permissions, selectors, services
from citemploi.relais.models import ActivityReport, ReportState
from citemploi.relais.months import previous_month
from citemploi.www.pathways.access import AuthedRequest, submitted
from citemploi.www.relais.forms import ImportForm, ReportForm, ReturnForm, VersionForm


@require_GET
def relais_list(request: AuthedRequest) -> HttpResponse:
    selectors.require_network(request.user)
    found = list(selectors.visible_relais(request.user).order_by("sort_name"))
    if len(found) == 1 and not is_coordinator(request.user):
        return redirect("relais:page", public_id=found[0].public_id)
    context = {"relais": found, "can_consolidate": permissions.can_view_consolidated(request.user)}
    return render(request, "relais/list.html", context)


@require_GET
def relais_page(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    relais = selectors.relais_for_viewer(request.user, public_id)
    page = selectors.relais_page(request.user, relais)
    last = previous_month(timezone.localdate())
    return render(request, "relais/page.html", {"page": page, "last_month": last})


def _report_context(request: AuthedRequest, relais: Structure, month: date) -> dict[str, Any]:
    report = selectors.report_of(request.user, relais, month)
    writable = report is None or report.is_editable
    writable = writable and permissions.agent_of(request.user, relais) and month < timezone.localdate().replace(day=1)
    content = selectors.report_content(report) if report else selectors.report_draft(relais, month)
    return {
        "relais": relais,
        "month": month,
        "report": report,
        "content": content,
        "orientations": [(StructureKind(kind).label, n) for kind, n in content.orientations],
        "writable": writable,
        "reviewable": report is not None
        and permissions.can_review(request.user)
        and report.state == ReportState.SUBMITTED,
        "submittable": report is not None and report.is_editable and permissions.can_write_report(request.user, report),
    }


def _qpvs(relais: Structure, context: dict[str, Any]) -> list[tuple[str, str]]:
    return selectors.report_qpvs(relais, context["content"])


def report_page(request: AuthedRequest, public_id: UUID, month: str) -> HttpResponse:
    relais = selectors.relais_for_viewer(request.user, public_id)
    day = selectors.parse_month(month)
    context = _report_context(request, relais, day)
    version = context["report"].version if context["report"] else 0
    form = ReportForm(request.POST or None, qpvs=_qpvs(relais, context), content=context["content"], version=version)
    if request.method == "POST":
        if not context["writable"]:
            raise PermissionDenied(_("Ce rapport ne se modifie plus, ou pas par vous."))
        save = lambda data: services.report_save(  # noqa: E731
            by=request.user, relais=relais, month=day, version=data["version"], changes=form.changes()
        )
        if form.is_valid() and submitted(form, save):
            messages.success(request, _("Rapport enregistré."))
            return redirect("relais:report", public_id=relais.public_id, month=month)
    context.update(form=form, import_form=ImportForm(), version_form=_version(context["report"]))
    context["return_form"] = ReturnForm(initial={"version": version})
    return render(request, "relais/report.html", context, status=400 if form.errors else 200)


def _version(report: ActivityReport | None) -> VersionForm:
    return VersionForm(initial={"version": report.version if report else 0})


def _transition(request: AuthedRequest, public_id: UUID, month: str, action: str) -> HttpResponse:
    relais = selectors.relais_for_viewer(request.user, public_id)
    report = selectors.report_of(request.user, relais, selectors.parse_month(month))
    if report is None:
        raise NotFound(_("Ce rapport n'est pas encore écrit."))
    form = ReturnForm(request.POST) if action == "return" else VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Formulaire incomplet : %(errors)s") % {"errors": " ".join(
            str(e) for errs in form.errors.values() for e in errs)})  # fmt: skip
        return redirect("relais:report", public_id=relais.public_id, month=month)
    version, by = form.cleaned_data["version"], request.user
    if action == "submit":
        services.report_submit(by=by, report=report, version=version)
        messages.success(request, _("Rapport soumis à la coordination."))
    elif action == "validate":
        services.report_validate(by=by, report=report, version=version)
        messages.success(request, _("Rapport validé."))
    else:
        services.report_return(by=by, report=report, version=version, comment=form.cleaned_data["comment"])
        messages.success(request, _("Rapport renvoyé au relais avec votre commentaire."))
    return redirect("relais:report", public_id=relais.public_id, month=month)


@require_POST
def report_submit(request: AuthedRequest, public_id: UUID, month: str) -> HttpResponse:
    return _transition(request, public_id, month, "submit")


@require_POST
def report_validate(request: AuthedRequest, public_id: UUID, month: str) -> HttpResponse:
    return _transition(request, public_id, month, "validate")


@require_POST
def report_return(request: AuthedRequest, public_id: UUID, month: str) -> HttpResponse:
    return _transition(request, public_id, month, "return")


@require_POST
def report_import(request: AuthedRequest, public_id: UUID, month: str) -> HttpResponse:
    relais = selectors.relais_for_viewer(request.user, public_id)
    day = selectors.parse_month(month)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choisissez le fichier du relais."))
        return redirect("relais:report", public_id=relais.public_id, month=month)
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / f"rapport{Path(upload.name or '').suffix.lower()}"
        with path.open("wb") as handle:
            for block in upload.chunks():
                handle.write(block)
        services.report_import(by=request.user, relais=relais, month=day, path=path, filename=upload.name or "")
    messages.success(request, _("Rapport importé depuis le tableur : vérifiez-le avant de le soumettre."))
    return redirect("relais:report", public_id=relais.public_id, month=month)


def _year(request: AuthedRequest) -> int:
    default = previous_month(timezone.localdate()).year
    try:
        year = int(request.GET.get("annee", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@require_GET
def network_page(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    found = consolidated.network(request.user, year)
    today = timezone.localdate()
    return render(
        request,
        "relais/network.html",
        {"network": found, "today": today, "years": range(today.year - 3, today.year + 1)},
    )


@require_GET
def network_export(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    fmt = request.GET.get("format", "xlsx")
    content, content_type, extension = consolidated.export_network(
        request.user, year, fmt if fmt in FORMATS else "xlsx"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="relais-{year}.{extension}"'
    return response
