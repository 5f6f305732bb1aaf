"""Structures and accounts, for the coordination and the admin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.accounts.models import Membership, Structure
from citemploi.accounts.permissions import can_manage_accounts
from citemploi.accounts.services import AccountError, member_invite, membership_end, structure_save
from citemploi.www.manage.forms import MemberForm, StructureForm


def _guard(request: HttpRequest) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied


def structure_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    structures = Structure.objects.annotate(members=Count("memberships", filter=Q(memberships__is_active=True)))
    return render(request, "manage/structure_list.html", {"structures": structures})


def structure_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    _guard(request)
    structure = get_object_or_404(Structure, public_id=public_id) if public_id else None
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        saved = structure_save(actor=request.user, structure=form.instance)  # type: ignore[arg-type]
        messages.success(request, _("Structure « %(name)s » enregistrée.") % {"name": saved.name})
        return redirect("manage:structure_detail", public_id=saved.public_id)
    return render(request, "manage/structure_form.html", {"form": form, "structure": structure})


def structure_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    _guard(request)
    structure = get_object_or_404(Structure, public_id=public_id)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_invite(actor=request.user, structure=structure, **form.cleaned_data)  # type: ignore[arg-type]
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(email)s a maintenant ce rôle dans la structure.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("manage:structure_detail", public_id=structure.public_id)
    members = structure.memberships.select_related("user").order_by("-is_active", "user__last_name")
    return render(request, "manage/structure_detail.html", {"structure": structure, "members": members, "form": form})


@require_POST
def membership_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    membership = get_object_or_404(Membership, pk=pk)
    try:
        membership_end(actor=request.user, membership=membership)  # type: ignore[arg-type]
        messages.success(
            request,
            _("Le rôle de %(user)s dans %(structure)s est retiré.")
            % {"user": membership.user, "structure": membership.structure},
        )
    except AccountError as error:
        messages.error(request, str(error))
    return redirect("manage:structure_detail", public_id=membership.structure.public_id)
