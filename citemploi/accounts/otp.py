"""Which sessions must pass the second factor (TOTP) before reaching the platform."""

from __future__ import annotations

from django.conf import settings


def needs_second_factor(user: object) -> bool:
    """True when the user's role requires TOTP and the session has not passed it yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_role(*settings.OTP_REQUIRED_ROLES):  # type: ignore[attr-defined]
        return False
    if settings.DEMO_MODE and user.is_demo_account:  # type: ignore[attr-defined]
        return False
    return not user.is_verified()  # type: ignore[attr-defined]
