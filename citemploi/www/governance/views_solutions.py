"""Solutions of a need (proposals, the census action that carries them, the experiment's results) and the coverage
map of the register with the evidence behind a cell (issue 15 §4–5). Thin: read, call a service or selector, render.
Refusals of the services come back as a message on the need's page (``www.site.errors.DomainErrorMiddleware``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citemploi.evaluation.maps import choropleth
from citemploi.evaluation.permissions import needs_masking
from citemploi.governance.models import Need, Proposal
from citemploi.governance.needs import coverage_map, experiment, solutions
from citemploi.governance.needs.states import ProposalState
from citemploi.governance.permissions import (
    can_drill_down_needs,
    can_link_census_action,
    can_propose_solution,
    can_view_needs,
)
from citemploi.partners import referentials as ref
from citemploi.www.governance import forms_solutions as f
from citemploi.www.governance.views import _back, _invalid, actor


def require_needs(request: HttpRequest) -> None:
    if not can_view_needs(request.user):
        raise HttpForbidden


def need_url(need: Need) -> str:
    return reverse("governance:need", args=[need.public_id])


def _proposal(request: HttpRequest, public_id: uuid.UUID) -> Proposal:
    require_needs(request)
    return get_object_or_404(Proposal.objects.select_related("need"), public_id=public_id)


# --- On the need's page ---------------------------------------------------------------------------------------


def solutions_context(request: HttpRequest, need: Need) -> dict[str, Any]:
    """What the need's page shows of its solutions (included by its template: ``governance/needs/_solutions.html``):
    the proposals with their partners, decision and census action, each experiment's results (masked below the
    coordinator, never a name), and the forms the reader may use. The forms' options are read once for the page;
    each experiment reads its figures (six queries: participants and five indicators of the registry)."""
    user = request.user
    proposals = list(
        need.proposals.select_related(
            "census_action", "roadmap_action__objective__axis__version", "decision__meeting"
        ).prefetch_related("partners")
    )
    coordinator = can_propose_solution(user)
    choices = f.ProposalChoices.read() if coordinator else None
    linkable: list[tuple[str, str]] | None = None
    for proposal in proposals:
        proposal.results = (  # type: ignore[attr-defined]
            experiment.results(user, proposal.census_action, adopted_on=_adopted_on(proposal))
            if proposal.census_action is not None and proposal.decision_id is not None
            else None
        )
        proposal.link_form = None  # type: ignore[attr-defined]
        if proposal.state != ProposalState.SET_ASIDE and can_link_census_action(user, proposal, None):
            if linkable is None:
                linkable = f.linkable_actions(None if coordinator else list(getattr(user, "structure_ids", [])))
            proposal.link_form = f.LinkActionForm(  # type: ignore[attr-defined]
                choices=linkable, initial={"census_action": proposal.census_action_id}, prefix=f"lien-{proposal.pk}"
            )
        proposal.edit_form = (  # type: ignore[attr-defined]
            f.ProposalForm(choices=choices, prefix=f"modifier-{proposal.pk}", initial=_initial(proposal))
            if choices is not None and proposal.state != ProposalState.SET_ASIDE
            else None
        )
    return {
        "proposals": proposals,
        "proposal_form": f.ProposalForm(choices=choices, prefix="proposition") if choices is not None else None,
        "can_manage_proposals": coordinator,
    }


def _initial(proposal: Proposal) -> dict[str, Any]:
    return {
        "text": proposal.text,
        "partners": [str(s.pk) for s in proposal.partners.all()],
        "cost": proposal.cost,
        "roadmap_action": str(proposal.roadmap_action_id or ""),
    }


def _adopted_on(proposal: Proposal) -> Any:
    return proposal.decision.meeting.starts_at.date() if proposal.decision is not None else None


@require_POST
def proposal_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    require_needs(request)
    need = get_object_or_404(Need, public_id=public_id)
    form = f.ProposalForm(request.POST, choices=f.ProposalChoices.read(), prefix="proposition")
    if not form.is_valid():
        return _invalid(request, need_url(need), form)
    solutions.proposal_add(by=actor(request), need=need, fields=form.values())
    return _back(request, need_url(need), _("Proposition enregistrée."))


@require_POST
def proposal_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    proposal = _proposal(request, public_id)
    form = f.ProposalForm(request.POST, choices=f.ProposalChoices.read(), prefix=f"modifier-{proposal.pk}")
    if not form.is_valid():
        return _invalid(request, need_url(proposal.need), form)
    solutions.proposal_change(by=actor(request), proposal=proposal, fields=form.values())
    return _back(request, need_url(proposal.need), _("Proposition modifiée."))


@require_POST
def proposal_link(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    proposal = _proposal(request, public_id)
    # every action is a valid choice here: whether this reader may link it is the service's rule (403 otherwise)
    form = f.LinkActionForm(request.POST, choices=f.linkable_actions(None), prefix=f"lien-{proposal.pk}")
    if not form.is_valid():
        return _invalid(request, need_url(proposal.need), form)
    solutions.proposal_link_action(by=actor(request), proposal=proposal, census_action=form.action())
    return _back(request, need_url(proposal.need), _("Action du recensement enregistrée."))


@require_POST
def proposal_set_aside(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    proposal = _proposal(request, public_id)
    solutions.proposal_set_aside(by=actor(request), proposal=proposal)
    return _back(request, need_url(proposal.need), _("Proposition écartée."))


# --- Coverage map ---------------------------------------------------------------------------------------------


@require_GET
def needs_map(request: HttpRequest) -> HttpResponse:
    require_needs(request)
    form = f.MapFilterForm(request.GET or None)
    state = form.cleaned_data["etat"] if form.is_valid() else coverage_map.OPEN
    table = coverage_map.coverage_table(masked=bool(needs_masking(request.user)), state=state or coverage_map.OPEN)
    values, masked_codes = table.map_values()
    context = {
        "form": form,
        "state": state or coverage_map.OPEN,
        "table": table,
        "map_data": choropleth(values, masked=masked_codes, unit="count"),
        "tile_url": settings.MAP_TILE_URL,
        "drill_down": bool(can_drill_down_needs(request.user)),
    }
    return render(request, "governance/needs/map.html", context)


@require_GET
def needs_evidence(request: HttpRequest) -> HttpResponse:
    require_needs(request)
    qpv_code, categorie = request.GET.get("qpv", ""), request.GET.get("categorie", "")
    state = request.GET.get("etat", coverage_map.OPEN)
    found = coverage_map.evidence(request.user, qpv_code=qpv_code, categorie=categorie, state=state)
    context = {
        "needs": found,
        "sources": coverage_map.source_labels(),
        "qpv_label": coverage_map.qpv_label(qpv_code),
        "categorie_label": ref.CATEGORIE_LABELS.get(categorie, categorie),
        "state": state,
    }
    return render(request, "governance/needs/evidence.html", context)
