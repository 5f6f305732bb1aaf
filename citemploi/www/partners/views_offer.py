"""Services and actions: pages and the partner self-service (proposals go to moderation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure
from citemploi.partners import referentials as ref
from citemploi.partners.models import Action, Revision, RevisionStatus, Service
from citemploi.partners.permissions import can_edit_structure_offer, can_propose_offer
from citemploi.partners.selectors import actions_editable_by, services_editable_by, services_visible_to
from citemploi.partners.services import ActionChanges, ServiceChanges, action_submit, service_submit
from citemploi.www.partners.forms import ActionForm, ServiceForm
from citemploi.www.partners.views_directory import require_census


def _own_structure(request: HttpRequest, public_id: str) -> Structure:
    """A structure whose offer the user may edit; anybody else's answers 404 (DESIGN.md §3.2)."""
    structure = get_object_or_404(Structure, public_id=public_id, is_active=True)
    if not can_edit_structure_offer(request.user, structure):
        raise Http404
    return structure


def _pending(**target: Any) -> Revision | None:
    return Revision.objects.filter(status=RevisionStatus.PENDING, **target).first()


def _saved_message(request: HttpRequest, published: bool) -> None:
    if published:
        messages.success(request, _("Enregistré et publié."))
    else:
        messages.info(request, _("Proposition enregistrée : elle sera publiée après validation par la coordination."))


def _offer_form(
    request: HttpRequest,
    form: ServiceForm | ActionForm,
    submit: Callable[[dict[str, Any]], Service | Action],
    *,
    kind: Literal["service", "action"],
    structure: Structure,
    entry: Service | Action | None,
) -> HttpResponse:
    """Submit a valid POSTed form and go to the entry's page, else show the form; ``kind`` is "service" or "action".

    ``kind`` names the entry's page (``partners:<kind>``) and its field on a pending revision.
    """
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        saved = submit(data)
        _saved_message(request, saved.is_published and not _pending(**{kind: saved}))
        return redirect(f"partners:{kind}", public_id=saved.public_id)
    pending = _pending(**{kind: entry}) if entry else None
    context = {"form": form, "structure": structure, "entry": entry, "kind": kind, "pending": pending}
    return render(request, "partners/offer_form.html", context)


def service_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    require_census(request)
    service = get_object_or_404(services_visible_to(request.user).select_related("structure"), public_id=public_id)
    context = {
        "service": service,
        "thematiques": ref.labels(service.thematiques, ref.THEMATIQUE_LABELS),
        "publics": ref.labels(service.publics, ref.PUBLIC_LABELS),
        "can_edit": can_edit_structure_offer(request.user, service.structure),
        "pending": _pending(service=service),
    }
    return render(request, "partners/service.html", context)


def service_form(request: HttpRequest, structure_id: str | None = None, public_id: str | None = None) -> HttpResponse:
    """Create (under a structure) or edit a service; 404 on another structure's service."""
    if not can_propose_offer(request.user):
        raise PermissionDenied
    service = get_object_or_404(services_editable_by(request.user), public_id=public_id) if public_id else None
    structure = service.structure if service else _own_structure(request, str(structure_id))
    form = ServiceForm(request.POST or None, instance=service)

    def submit(data: dict[str, Any]) -> Service:
        changes = ServiceChanges.of(data)
        return service_submit(actor=request.user, structure=structure, changes=changes, service=service)  # type: ignore[arg-type]

    return _offer_form(request, form, submit, kind="service", structure=structure, entry=service)


def action_form(request: HttpRequest, structure_id: str | None = None, public_id: str | None = None) -> HttpResponse:
    """Create (carried by a structure) or edit an action; 404 on another structure's action."""
    if not can_propose_offer(request.user):
        raise PermissionDenied
    action = get_object_or_404(actions_editable_by(request.user), public_id=public_id) if public_id else None
    carrier = action.carrier if action else _own_structure(request, str(structure_id))
    initial = {"partners": action.partners.all(), "qpvs_served": action.qpvs_served.all()} if action else {}
    form = ActionForm(request.POST or None, instance=action, initial=initial)

    def submit(data: dict[str, Any]) -> Action:
        changes = ActionChanges.of(data)
        return action_submit(actor=request.user, carrier=carrier, changes=changes, action=action)  # type: ignore[arg-type]

    return _offer_form(request, form, submit, kind="action", structure=carrier, entry=action)
