"""Structures and accounts, for the coordination and the admin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citemploi.accounts.models import PERSONAL_DATA_ROLE_SCOPE, PERSONAL_DATA_ROLES, Membership, Role, Structure, User
from citemploi.accounts.otp import second_factor_reset
from citemploi.accounts.permissions import can_manage_accounts, is_admin
from citemploi.accounts.services import member_invite, membership_end, structure_save
from citemploi.core.errors import DomainError, ValidationFailed
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
    confirmation = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_invite(
                actor=request.user,  # type: ignore[arg-type]
                structure=structure,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                confirmed=data["confirm"],
            )
        except ValidationFailed as error:
            if data["role"] in PERSONAL_DATA_ROLES and not data["confirm"]:
                # Second step: say what the role opens, and ask for an explicit confirmation.
                confirmation = {"role": Role(data["role"]).label, "scope": PERSONAL_DATA_ROLE_SCOPE[data["role"]]}
            else:
                form.add_error(None, str(error))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(email)s a maintenant ce rôle dans la structure.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("manage:structure_detail", public_id=structure.public_id)
    members = structure.memberships.select_related("user").order_by("-is_active", "user__sort_name")
    context = {
        "structure": structure,
        "members": members,
        "form": form,
        "confirmation": confirmation,
        "can_reset_second_factor": is_admin(request.user),
    }
    return render(request, "manage/structure_detail.html", context)


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
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("manage:structure_detail", public_id=membership.structure.public_id)


@require_POST
def member_second_factor_reset(request: HttpRequest, public_id: str) -> HttpResponse:
    """Lost phone: the admin resets a user's two-factor authentication (logged, e-mailed to the owner)."""
    if not is_admin(request.user):
        raise PermissionDenied
    user = get_object_or_404(User, public_id=public_id)
    try:
        second_factor_reset(actor=request.user, user=user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("La double authentification de %(email)s est réinitialisée ; la personne en est avertie par e-mail.")
            % {"email": user.email},
        )
    membership = user.memberships.select_related("structure").first()
    if membership is None:
        return redirect("manage:structure_list")
    return redirect("manage:structure_detail", public_id=membership.structure.public_id)
