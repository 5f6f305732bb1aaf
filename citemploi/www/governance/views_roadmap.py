"""The follow-up board, the roadmap (tree, progress, versions and their differences) and the personal feed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.governance import selectors, services, services_roadmap
from citemploi.governance.ical import meeting_calendar
from citemploi.governance.models import Decision, Meeting, RoadmapVersion
from citemploi.governance.permissions import can_manage_governance, can_move_decision
from citemploi.governance.progress import progress
from citemploi.territory.selectors import qpv_labels
from citemploi.www.governance import forms as f
from citemploi.www.governance.views import _back, _invalid, actor, indicator_choices, require_governance


def board(request: HttpRequest) -> HttpResponse:
    require_governance(request)
    state = "all" if request.GET.get("etat") == "tout" else "open"
    groups = selectors.board(request.user, state=state)
    for decision in (d for g in groups for d in g.decisions):
        decision.can_move = can_move_decision(request.user, decision)  # type: ignore[attr-defined]
    return render(
        request,
        "governance/board.html",
        {"groups": groups, "state": state, "late": sum(g.late for g in groups), "follow_form": f.FollowForm()},
    )


def _version(request: HttpRequest, number: str | None) -> RoadmapVersion | None:
    versions = selectors.roadmap_versions()
    if number:
        if not number.isdigit():
            raise Http404
        return get_object_or_404(versions, number=int(number))
    return versions.filter(adopted_on__isnull=False).first() or versions.first()


def _target_qpvs() -> list[tuple[str, str]]:
    """The QPV a target can be set for, as the form shows them and as it checks them (one query, no perimeter)."""
    return list(qpv_labels(territory_only=False).items())


def roadmap(request: HttpRequest) -> HttpResponse:
    require_governance(request)
    version = _version(request, request.GET.get("version"))
    versions = list(selectors.roadmap_versions())
    compare = None
    changes: list[Any] = []
    if version is not None and request.GET.get("comparer", "").isdigit():
        compare = get_object_or_404(selectors.roadmap_versions(), number=int(request.GET["comparer"]))
        changes = selectors.roadmap_diff(compare, version)
    tree = selectors.roadmap_tree(version) if version else []
    targets = [t for axis in tree for o in axis.objectives.all() for a in o.actions.all() for t in a.targets.all()]
    for found in progress(targets):
        found.target.progress = found  # type: ignore[attr-defined]
    manage = can_manage_governance(request.user)
    editable = manage and version is not None and version.adopted_on is None
    context: dict[str, Any] = {
        "version": version,
        "versions": versions,
        "tree": tree,
        "compare": compare,
        "changes": changes,
        "can_manage": manage,
        "editable": editable,
        "draft_form": f.DraftForm() if manage and not (versions and versions[0].adopted_on is None) else None,
    }
    if editable and version is not None:
        qpvs = _target_qpvs()
        meetings = Meeting.objects.filter(cancelled=False).select_related("instance").order_by("-starts_at")[:50]
        decisions = Decision.objects.select_related("meeting").order_by("-meeting__starts_at", "-id")[:100]
        context |= {
            "axis_form": f.AxisForm(),
            "objective_form": f.ObjectiveForm(version=version),
            "action_form": f.ActionForm(version=version),
            "target_form": f.TargetForm(version=version, indicators=indicator_choices(), qpvs=qpvs),
            "adopt_form": f.AdoptForm(
                meetings=[(str(m.public_id), str(m)) for m in meetings],
                decisions=[(str(d.public_id), f"{d.meeting.starts_at:%d/%m/%Y} — {d.text[:80]}") for d in decisions],
            ),
        }
    return render(request, "governance/roadmap.html", context)


def _editable(request: HttpRequest, number: int) -> RoadmapVersion:
    require_governance(request)
    return get_object_or_404(RoadmapVersion, number=number)


def _roadmap_url(version: RoadmapVersion) -> str:
    return reverse("governance:roadmap") + f"?version={version.number}"


@require_POST
def roadmap_draft(request: HttpRequest) -> HttpResponse:
    require_governance(request)
    form = f.DraftForm(request.POST)
    if not form.is_valid():
        return _invalid(request, "governance:roadmap", form)
    version = services_roadmap.roadmap_draft(by=actor(request), **form.cleaned_data)
    return _back(request, _roadmap_url(version), _("Nouvelle version en projet, copiée de la précédente."))


@require_POST
def roadmap_add(request: HttpRequest, number: int, what: str) -> HttpResponse:
    version = _editable(request, number)
    back = _roadmap_url(version)
    by = actor(request)
    if what == "axe":
        form: Any = f.AxisForm(request.POST)
        if form.is_valid():
            services_roadmap.roadmap_axis_add(by=by, version=version, **form.cleaned_data)
    elif what == "objectif":
        form = f.ObjectiveForm(request.POST, version=version)
        if form.is_valid():
            services_roadmap.roadmap_objective_add(by=by, **form.cleaned_data)
    elif what == "action":
        form = f.ActionForm(request.POST, version=version)
        if form.is_valid():
            services_roadmap.roadmap_action_add(by=by, **form.cleaned_data)
    elif what == "cible":
        qpvs = _target_qpvs()
        form = f.TargetForm(request.POST, version=version, indicators=indicator_choices(), qpvs=qpvs)
        if form.is_valid():
            services_roadmap.roadmap_target_set(by=by, **form.cleaned_data)
    else:
        raise Http404
    if not form.is_valid():
        return _invalid(request, back, form)
    return _back(request, back, _("Feuille de route complétée."))


@require_POST
def roadmap_adopt(request: HttpRequest, number: int) -> HttpResponse:
    version = _editable(request, number)
    meetings = Meeting.objects.filter(cancelled=False)
    choices = [(str(m.public_id), "") for m in meetings]
    decisions = [(str(d.public_id), "") for d in Decision.objects.all()]
    form = f.AdoptForm(request.POST, meetings=choices, decisions=decisions)
    if not form.is_valid():
        return _invalid(request, _roadmap_url(version), form)
    meeting = get_object_or_404(Meeting, public_id=form.cleaned_data["meeting"])
    chosen = form.cleaned_data["decision"]
    decision = Decision.objects.filter(public_id=chosen).first() if chosen else None
    services_roadmap.roadmap_adopt(by=actor(request), version=version, meeting=meeting, decision=decision)
    return _back(request, _roadmap_url(version), _("Version adoptée : elle ne change plus."))


# --- Personal feed ------------------------------------------------------------------------------------------------


@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The meetings the token's owner is invited to, as iCalendar (a signed, revocable address)."""
    owner = selectors.meeting_feed_owner(token)
    if owner is None:
        raise Http404
    body = meeting_calendar(selectors.meetings_invited(owner), name=_("Mes réunions — citemploi"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@require_POST
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    require_governance(request)
    services.meeting_feed_regenerate(by=actor(request))
    return _back(request, "governance:home", _("Nouvelle adresse d'agenda : l'ancienne ne fonctionne plus."))
