"""The register of uncovered needs (/pilotage/besoins/): list with filters, a need's page, a partner's report, the
coordinator's qualification and lifecycle. Thin views: the rules are in governance/needs/services.py."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.core import secrecy
from citemploi.governance.needs import selectors, services
from citemploi.governance.needs.coverage import matrix_cell_url, read_census
from citemploi.governance.needs.models import Need
from citemploi.governance.needs.states import NEED_TRANSITIONS, NeedState, SignalSource
from citemploi.governance.permissions import can_manage_needs, can_report_need, can_view_needs
from citemploi.www.governance import forms_needs as f
from citemploi.www.governance.views import _back, _invalid, actor
from citemploi.www.governance.views_solutions import solutions_context


def _require(allowed: bool) -> None:
    if not allowed:
        raise HttpForbidden


def needs(request: HttpRequest) -> HttpResponse:
    _require(can_view_needs(request.user))
    form = f.NeedFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.NeedFilters(
        state=data.get("etat", ""), thematique=data.get("thematique", ""), qpv=data.get("qpv", ""),
        source=data.get("origine", ""),
    )  # fmt: skip
    rows = selectors.register_rows(masked=selectors.masked_for(request.user), filters=filters)
    context = {
        "form": form,
        "rows": rows,
        "sources": [label for _value, label in SignalSource.choices],
        "can_report": can_report_need(request.user),
        "masked": selectors.masked_for(request.user),
    }
    return render(request, "governance/needs.html", context)


def need_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _require(can_view_needs(request.user))
    need = get_object_or_404(Need.objects.all(), public_id=public_id)
    masked = selectors.masked_for(request.user)
    manage = can_manage_needs(request.user)
    labels = dict(NeedState.choices)
    targets = [(t, labels[t]) for t in sorted(NEED_TRANSITIONS[need.state]) if t != NeedState.QUALIFIED]
    context = {
        "need": need,
        "thematique": selectors.thematique_label(need.thematique),
        "public": selectors.public_label(need),
        "coverage": selectors.COVERAGE_LABELS[read_census().coverage(need)],
        "matrix_url": matrix_cell_url(need),
        "table": selectors.signal_table(need, masked=masked),
        "sources": [label for _value, label in SignalSource.choices],
        "reports": list(selectors.manual_reports(need)) if manage else [],
        "qualify_form": f.NeedQualifyForm() if manage and need.state == NeedState.REPORTED else None,
        "transition_form": f.NeedTransitionForm(choices=targets) if manage and targets else None,
        "masked": masked,
        "volume": need.estimated_volume if not masked else secrecy.mask_count(need.estimated_volume),
    }
    context.update(solutions_context(request, need))  # h33: proposals, adoption, experiment results
    return render(request, "governance/need.html", context)


def need_report(request: HttpRequest) -> HttpResponse:
    _require(can_report_need(request.user))
    form = f.NeedReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signal = services.need_report(by=actor(request), **form.cleaned_data)
        message = _("Besoin signalé : merci, la coordination en est informée.")
        target = (
            reverse("governance:need", args=[signal.need.public_id])
            if can_view_needs(request.user)
            else reverse("governance:need_report")
        )
        return _back(request, target, message)
    return render(request, "governance/need_report.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def need_qualify(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = get_object_or_404(Need.objects.all(), public_id=public_id)
    target = reverse("governance:need", args=[need.public_id])
    form = f.NeedQualifyForm(request.POST)
    if not form.is_valid():
        return _invalid(request, target, form)
    services.need_qualify(by=actor(request), need=need, **form.cleaned_data)
    return _back(request, target, _("Besoin qualifié."))


@require_POST
def need_transition(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = get_object_or_404(Need.objects.all(), public_id=public_id)
    target = reverse("governance:need", args=[need.public_id])
    form = f.NeedTransitionForm(request.POST, choices=list(NeedState.choices))
    if not form.is_valid():
        return _invalid(request, target, form)
    services.need_transition(by=actor(request), need=need, target=form.cleaned_data["target"])
    return _back(request, target, _("État du besoin mis à jour."))
