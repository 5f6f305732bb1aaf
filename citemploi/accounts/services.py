"""Account services: every write to users, structures and memberships goes through here."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from citemploi.accounts.models import (
    COORDINATION_STRUCTURE_KINDS,
    PERSONAL_DATA_ROLES,
    Membership,
    Role,
    Structure,
    User,
)
from citemploi.core.errors import DomainError, PermissionDenied, ValidationFailed
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


def membership_add(*, user: User, structure: Structure, role: str, granted_by: User | None = None) -> Membership:
    """Give a user a role in a structure (idempotent; reactivates an ended membership). No rule is checked here:
    people's grants go through `member_invite`; this is for commands (demo, imports)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, structure=structure, role=role, defaults={"is_active": True, "granted_by": granted_by}
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


def role_grant_check(*, actor: User, structure: Structure, email: str, role: str, confirmed: bool) -> None:
    """Who may grant which role (raises PermissionDenied, or ValidationFailed when the confirmation is missing).

    - only the coordination and the admin grant roles at all, and never to themselves (the admin would otherwise
      give itself a relais agent's role and read that relais' records);
    - only an admin grants the admin role;
    - a role of PERSONAL_DATA_ROLES (it opens personal records) is granted only by a coordinator — never by the
      admin, who keeps configuration only —, only in a coordination structure
      (COORDINATION_STRUCTURE_KINDS), and only once the grantor has confirmed what the role opens.
    """
    if not actor.has_role(Role.COORDINATOR, Role.ADMIN):
        raise PermissionDenied(_("Seules la coordination et l'administration technique attribuent des rôles."))
    if role not in Role.values:
        raise ValidationFailed(_("Rôle inconnu."))
    if email.strip().lower() == actor.email.lower():
        raise PermissionDenied(
            _("Vous ne pouvez pas vous attribuer vous-même un rôle : demandez-le à une autre personne habilitée.")
        )
    if role == Role.ADMIN and not actor.has_role(Role.ADMIN):
        raise PermissionDenied(_("Seule l'administration technique peut attribuer le rôle d'administration technique."))
    if role in PERSONAL_DATA_ROLES:
        label = Role(role).label
        if not actor.has_role(*PERSONAL_DATA_ROLES):
            raise PermissionDenied(
                _("Seule la coordination de la Cité de l'emploi peut attribuer le rôle « %(role)s ».") % {"role": label}
            )
        if structure.kind not in COORDINATION_STRUCTURE_KINDS:
            raise PermissionDenied(
                _(
                    "Le rôle « %(role)s » ne s'attribue qu'à un membre de la structure de coordination de la "
                    "Métropole, pas dans « %(structure)s »."
                )
                % {"role": label, "structure": structure.name}
            )
        if not confirmed:
            raise ValidationFailed(_("Confirmez que vous savez ce que ce rôle ouvre avant de l'attribuer."))


@transaction.atomic
def member_invite(
    *,
    actor: User,
    structure: Structure,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    confirmed: bool = False,
) -> Membership:
    """Give ``email`` the ``role`` in ``structure``, creating the account if needed (no password: the person
    chooses one through the link e-mailed after commit). The rules are `role_grant_check`'s. Every grant is
    recorded (``granted_by``, kept in the django-auditlog history of the membership) and e-mailed to the person;
    a role that opens personal records is also e-mailed to the other coordinators."""
    role_grant_check(actor=actor, structure=structure, email=email, role=role, confirmed=confirmed)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = user_create(email=email, password=None, first_name=first_name, last_name=last_name)
    membership = membership_add(user=user, structure=structure, role=role, granted_by=actor)
    if created:
        _send_welcome(user)
    _mail_grant(actor=actor, membership=membership)
    return membership


def _mail_grant(*, actor: User, membership: Membership) -> None:
    role, structure = membership.get_role_display(), membership.structure.name
    mail_later(
        to=[membership.user.email],
        subject=_("Un rôle vous a été attribué"),
        body=_(
            "Bonjour,\n\nLe rôle « %(role)s » dans « %(structure)s » vous a été attribué par %(actor)s.\n\n"
            "Si vous ne l'attendiez pas, prévenez la coordination de la Cité de l'emploi.\n\n%(site)s"
        )
        % {"role": role, "structure": structure, "actor": actor, "site": settings.SITE_URL},
    )
    if membership.role not in PERSONAL_DATA_ROLES:
        return
    others = (
        User.objects.filter(
            memberships__role__in=PERSONAL_DATA_ROLES,
            memberships__is_active=True,
            memberships__structure__is_active=True,
        )
        .exclude(pk__in=[actor.pk, membership.user_id])
        .distinct()
        .values_list("email", flat=True)
    )
    mail_later(
        to=list(others),
        subject=_("Nouveau rôle « %(role)s »") % {"role": role},
        body=_(
            "Bonjour,\n\n%(actor)s a attribué le rôle « %(role)s » dans « %(structure)s » à %(user)s (%(email)s). "
            "Ce rôle ouvre les fiches personnelles de toutes les structures.\n\nSi cette attribution n'était pas "
            "prévue, retirez le rôle depuis « Structures et comptes ».\n\n%(site)s"
        )
        % {
            "actor": actor,
            "role": role,
            "structure": structure,
            "user": membership.user,
            "email": membership.user.email,
            "site": settings.SITE_URL,
        },
    )


def membership_end(*, actor: User, membership: Membership) -> Membership:
    """End a membership (the history stays); the user loses that role at their next request."""
    if not actor.has_role(Role.COORDINATOR, Role.ADMIN):
        raise PermissionDenied(_("Seules la coordination et l'administration technique retirent des rôles."))
    if membership.user_id == actor.pk and membership.role in {Role.COORDINATOR, Role.ADMIN}:
        raise AccountError(_("Vous ne pouvez pas retirer votre propre rôle de coordination ou d'administration."))
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    return membership


def _send_welcome(user: User) -> None:
    """E-mail a new account its link to choose a password (the password-reset token, valid 3 days, single use)."""
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
