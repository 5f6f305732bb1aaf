"""Catalogue of schemes (every logged-in role reads it; the coordination changes the parameters)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.schemes import selectors, services
from citemploi.schemes.engine import parameters as labels
from citemploi.schemes.models import Scheme
from citemploi.schemes.permissions import can_edit_parameters, can_edit_scheme_validity
from citemploi.www.schemes.forms import ParameterForm, ValidityForm


def scheme_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    schemes = selectors.scheme_list()
    return render(request, "schemes/list.html", {"schemes": schemes, "today": today})


def scheme_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    scheme = get_object_or_404(Scheme, public_id=public_id)
    today = timezone.localdate()
    detail = selectors.scheme_detail(scheme, today)
    context = {"detail": detail, "today": today, "can_edit": can_edit_parameters(request.user)}
    context["can_edit_validity"] = can_edit_scheme_validity(request.user)
    return render(request, "schemes/detail.html", context)


def parameter_edit(request: HttpRequest, public_id: str, key: str) -> HttpResponse:
    if not can_edit_parameters(request.user):
        raise PermissionDenied
    scheme = get_object_or_404(Scheme, public_id=public_id)
    current = selectors.current_parameter(scheme, key, timezone.localdate()) or scheme.parameters.filter(key=key).last()
    if current is None:
        raise Http404
    form = ParameterForm(request.POST or None, key=key, previous=current.value)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        services.scheme_parameter_set(actor=actor, scheme=scheme, key=key, **form.cleaned_data)
        messages.success(request, _("Paramètre modifié ; une note de veille a été préparée en brouillon."))
        return redirect("schemes:detail", public_id=scheme.public_id)
    context = {"scheme": scheme, "current": current, "label": labels.label(key), "form": form}
    context["display"] = labels.display(key, current.value)
    return render(request, "schemes/parameter_form.html", context)


def validity_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    if not can_edit_scheme_validity(request.user):
        raise PermissionDenied
    scheme = get_object_or_404(Scheme, public_id=public_id)
    form = ValidityForm(request.POST or None, initial={"valid_from": scheme.valid_from, "valid_to": scheme.valid_to})
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        services.scheme_validity_set(actor=actor, scheme=scheme, **form.cleaned_data)
        messages.success(request, _("Dates de validité enregistrées ; une note de veille a été préparée en brouillon."))
        return redirect("schemes:detail", public_id=scheme.public_id)
    return render(request, "schemes/validity_form.html", {"form": form, "scheme": scheme})
