from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from citemploi.accounts.otp import needs_second_factor
from citemploi.www.nav import counts_for, items_for


def platform(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    is_demo = bool(settings.DEMO_MODE and user is not None and getattr(user, "is_demo_account", False))
    # Before the second factor, nothing is reachable: no menu either.
    items = items_for(user) if user is not None and user.is_authenticated and not needs_second_factor(user) else []
    return {
        "brand": settings.BRAND,
        "nav_items": items,
        # Counters next to menu entries (the alerts), computed only when a template shows them.
        "nav_counts": SimpleLazyObject(lambda: counts_for(user, items)),
        "demo_banner": is_demo,
        "use_proconnect": settings.USE_PROCONNECT,
        # The demo's fictitious QPV perimeters are in force (one query, only on pages that show a QPV answer).
        "demo_perimeters": SimpleLazyObject(_demo_perimeters),
    }


def _demo_perimeters() -> bool:
    from citemploi.territory.demo import demo_perimeters_in_force

    return demo_perimeters_in_force()
