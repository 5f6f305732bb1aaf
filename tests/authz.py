"""Declared access rules for every URL pattern (the authorization matrix).

Each app declares its URLs in ``tests/<app>/authz.py`` as ``RULES = {"namespace:name": Access(...)}`` and, when its
URLs take arguments, an optional ``setup(world)`` that adds the objects they need to ``world.objects``.
tests/test_authz_matrix.py fails when a URL pattern has no rule, then requests each URL as each persona.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGGED_IN = frozenset({"referent", "colleague", "outsider", "coordinator", "state_copilot", "steering_member", "admin"})
CASEWORKERS = frozenset({"referent", "colleague", "outsider"})
LOGIN = "login"  # expected answer: redirect to the login page


@dataclass(frozen=True)
class Access:
    """Who gets ``ok``; the others logged in get ``denied`` (403 for a role, 404 for someone else's record);
    anonymous users are sent to the login page unless ``public``."""

    allowed: frozenset[str] = LOGGED_IN
    ok: int = 200
    denied: int = 403
    public: bool = False
    method: str = "get"
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    data: Callable[[Any], dict[str, Any]] | None = None
    overrides: dict[str, int | str] = field(default_factory=dict)

    def expected(self, persona: str) -> int | str:
        if persona in self.overrides:
            return self.overrides[persona]
        if persona == "anonymous":
            return self.ok if self.public else LOGIN
        return self.ok if persona in self.allowed else self.denied
