"""Account services: every write to users, structures and memberships goes through here."""

from __future__ import annotations

from django.db import transaction

from citemploi.accounts.models import Membership, Structure, User


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
