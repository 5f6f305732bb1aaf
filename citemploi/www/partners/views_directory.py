"""Directory search, structure pages and profiles, map."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure
from citemploi.core.pagination import BoundedPaginator
from citemploi.partners import referentials as ref
from citemploi.partners.coverage import census_structures, completeness, map_features
from citemploi.partners.hours import describe
from citemploi.partners.models import StructureProfile
from citemploi.partners.permissions import can_edit_structure_offer, can_moderate, can_view_census
from citemploi.partners.selectors import actions_visible_to, directory_actions, directory_services, services_visible_to
from citemploi.partners.services import ProfileChanges, profile_save
from citemploi.www.partners.forms import DirectoryForm, ProfileForm

PAGE_SIZE = 30


def require_census(request: HttpRequest) -> None:
    if not can_view_census(request.user):
        raise PermissionDenied


def directory(request: HttpRequest) -> HttpResponse:
    """Search services (and current actions) by text, thématique, public, commune or QPV, open now."""
    require_census(request)
    form = DirectoryForm(request.GET or None)
    filters = form.filters()
    page = BoundedPaginator(directory_services(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    actions = list(directory_actions(request.user, filters)[:20])
    query = request.GET.copy()
    query.pop("page", None)
    kinds = [("structures", _("structures")), ("services", _("services")), ("actions", _("actions"))]
    context = {"form": form, "page": page, "actions": actions, "query": query.urlencode(), "export_kinds": kinds}
    return render(request, "partners/directory.html", context)


def structure(request: HttpRequest, public_id: str) -> HttpResponse:
    """A structure's public profile, its services and actions, and its completeness."""
    require_census(request)
    obj = get_object_or_404(census_structures(), public_id=public_id)
    profile = getattr(obj, "profile", None)
    slots = [(s.weekday, s.opens, s.closes) for s in profile.slots.all()] if profile else []
    context = {
        "structure": obj,
        "profile": profile,
        "hours": describe(slots),
        "reseaux": ref.labels(profile.reseaux_porteurs, ref.RESEAU_LABELS) if profile else [],
        "services": services_visible_to(request.user).filter(structure=obj),
        "actions": actions_visible_to(request.user).filter(carrier=obj).order_by("-starts_on")[:50],
        "completeness": completeness(obj),
        "can_edit": can_edit_structure_offer(request.user, obj),
        "can_edit_profile": can_moderate(request.user),
    }
    return render(request, "partners/structure.html", context)


def profile_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """The coordinator edits a structure's public profile (published at once)."""
    if not can_moderate(request.user):
        raise PermissionDenied
    obj = get_object_or_404(Structure, public_id=public_id)
    profile = StructureProfile.objects.filter(structure=obj).first()
    form = ProfileForm(
        request.POST or None, instance=profile, initial={"qpvs_served": profile.qpvs_served.all() if profile else []}
    )
    if request.method == "POST" and form.is_valid():
        from citemploi.partners.hours import osm_to_slots

        data = {k: v for k, v in form.cleaned_data.items() if k not in {"opening_hours", "qpvs_served"}}
        hours = form.cleaned_data["opening_hours"]
        profile_save(
            actor=request.user,  # type: ignore[arg-type]
            structure=obj,
            changes=ProfileChanges.of({**data, "opening_hours": hours}),
            slots=osm_to_slots(hours),
            qpv_codes=[q.code for q in form.cleaned_data["qpvs_served"]],
        )
        messages.success(request, _("Profil enregistré et publié."))
        return redirect("partners:structure", public_id=obj.public_id)
    return render(request, "partners/profile_form.html", {"form": form, "structure": obj})


def map_page(request: HttpRequest) -> HttpResponse:
    require_census(request)
    return render(request, "partners/map.html", {"tile_url": settings.MAP_TILE_URL})


def map_data(request: HttpRequest) -> JsonResponse:
    """Points of the map as JSON (structures, relais, current and upcoming actions)."""
    require_census(request)
    return JsonResponse({"features": map_features(actions_visible_to(request.user).filter(is_published=True))})
