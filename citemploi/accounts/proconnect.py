"""ProConnect (OpenID Connect) login, behind USE_PROCONNECT.

An agent signing in with ProConnect is matched by e-mail to an account the administrator created beforehand
(with its structure and role); no account is created from ProConnect alone, since the role and structure
cannot be deduced from the identity provider.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from citemploi.accounts.models import User


class ProConnectBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        changed = []
        for field, claim in (("first_name", "given_name"), ("last_name", "usual_name")):
            value = (claims.get(claim) or "").strip()
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        return user


class EnabledProConnectBackend(ProConnectBackend):
    """Answers only when USE_PROCONNECT is on (the backend is always listed; the flag is read per request)."""

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        from django.conf import settings

        if not settings.USE_PROCONNECT:
            return None
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]
