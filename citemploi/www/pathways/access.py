"""Fetching a person for a screen (404 when invisible, access log when read from outside the referent's structure:
both in the selector), and the generic "form → service → back to the person page" flow of every action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from citemploi.accounts.models import User
from citemploi.core import errors
from citemploi.core.errors import DomainError, ValidationFailed
from citemploi.pathways.models import Person
from citemploi.pathways.permissions import Sight
from citemploi.pathways.selectors import person_for_viewer


class AuthedRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware: the user is a real account."""

    user: User


def person_for(request: AuthedRequest, public_id: UUID, *, reason: str = "consultation") -> tuple[Person, Sight]:
    """The person if visible to the user (else 404), with what the user sees; reads from outside are logged
    (``pathways.selectors.person_for_viewer``, the same selector as the API)."""
    viewed = person_for_viewer(request.user, public_id, reason=reason, path=request.path)
    return viewed.person, viewed.sight


def add_domain_error(form: forms.BaseForm, error: ValidationFailed) -> None:
    """Show a refused input on its field when the form has it, else at the top of the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def submitted(form: forms.BaseForm, action: Callable[[dict[str, Any]], object]) -> bool:
    """Call ``action`` (a service) with the form's data; a refusal becomes an error of the form, which keeps what
    was typed (on its field when the rule names one), and False is returned. A refused action (PermissionDenied)
    goes on to the designed 403 page (www.site.errors.DomainErrorMiddleware)."""
    try:
        action(form.cleaned_data)
    except ValidationFailed as error:
        add_domain_error(form, error)
    except DomainError as error:
        if isinstance(error, errors.PermissionDenied):
            raise
        form.add_error(None, error.message)
    else:
        return True
    return False


def run_action(
    request: HttpRequest,
    person: Person,
    *,
    form: forms.Form,
    title: str,
    submit: str,
    action: Callable[[dict[str, Any]], object],
    success: str,
    allowed: bool = True,
    intro: str = "",
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``action`` (a service); a refused transition becomes a form error
    and nothing is changed."""
    if not allowed:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid() and submitted(form, action):
        messages.success(request, success)
        return redirect("pathways:person", public_id=person.public_id)
    context = {"person": person, "form": form, "title": title, "submit": submit, "intro": intro}
    return render(request, "pathways/action_form.html", context, status=400 if form.errors else 200)
