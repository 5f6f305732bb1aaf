"""Account services: every write to users, structures and memberships goes through here."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from citemploi.accounts.models import Membership, Role, Structure, User
from citemploi.core.errors import DomainError
from citemploi.core.mail import mail_later


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    structure: Structure | None = None,
    role: str | None = None,
    is_demo_account: bool = False,
) -> User:
    """Create a user, and their membership when a structure and a role are given."""
    user = User.objects.create_user(
        email, password, first_name=first_name, last_name=last_name, is_demo_account=is_demo_account
    )
    if structure is not None and role is not None:
        membership_add(user=user, structure=structure, role=role)
    return user


def membership_add(*, user: User, structure: Structure, role: str) -> Membership:
    """Give a user a role in a structure (idempotent; reactivates an ended membership)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, structure=structure, role=role, defaults={"is_active": True}
    )
    user.__dict__.pop("active_memberships", None)
    user.__dict__.pop("roles", None)
    user.__dict__.pop("structure_ids", None)
    return membership


class AccountError(DomainError):
    """A refused account operation; the message is shown to the user as is."""


def structure_save(*, actor: User, structure: Structure) -> Structure:
    """Create or update a structure (validated by the caller's form); audited by django-auditlog."""
    structure.full_clean()
    structure.save()
    return structure


@transaction.atomic
def member_invite(
    *, actor: User, structure: Structure, email: str, first_name: str, last_name: str, role: str
) -> Membership:
    """Give ``email`` the ``role`` in ``structure``, creating the account if needed (no password: the person
    chooses one through the link e-mailed after commit). Only an admin may grant the admin role."""
    if role == Role.ADMIN and not actor.has_role(Role.ADMIN):
        raise AccountError(_("Seule l'administration technique peut attribuer le rôle d'administration technique."))
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = user_create(email=email, password=None, first_name=first_name, last_name=last_name)
    membership = membership_add(user=user, structure=structure, role=role)
    if created:
        transaction.on_commit(lambda: _send_welcome(user))
    return membership


def membership_end(*, actor: User, membership: Membership) -> Membership:
    """End a membership (the history stays); the user loses that role at their next request."""
    if membership.user_id == actor.pk and membership.role in {Role.COORDINATOR, Role.ADMIN}:
        raise AccountError(_("Vous ne pouvez pas retirer votre propre rôle de coordination ou d'administration."))
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    return membership


def _send_welcome(user: User) -> None:
    """E-mail a new account its link to choose a password (the password-reset token, valid 3 days, single use)."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    protocol, domain = settings.SITE_URL.split("://", 1)
    context = {
        "email": user.email,
        "brand": settings.BRAND,
        "protocol": protocol,
        "domain": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
    mail_later(to=[user.email], subject=subject, body=render_to_string("accounts/email/welcome.txt", context))
