"""The one family of domain errors (DESIGN.md §3.1).

Services raise these; the web layer and the API translate them to HTTP in one place each (403 for an action the
caller may not take on a record it sees, 409 for a conflict, 400 for invalid input or transition). Records the
caller may not see are never reached: reads are scoped by ``visible_to`` and answer 404 before any service runs.
The message is French and shown to the user as is.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation. Nothing was changed."""

    default_message = "Opération refusée."

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message) if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class PermissionDenied(DomainError):  # noqa: N818 — the name Django and DRF use for the same idea
    """The actor may not do this (on a record they may see)."""

    default_message = "Vous n'avez pas le droit de faire cette action."


class InvalidTransition(DomainError):  # noqa: N818 — the name the whole product uses
    """A state change that a state machine forbids, or a business rule refuses."""


class Conflict(DomainError):  # noqa: N818
    """Someone else changed the record meanwhile (stale edit), or it no longer exists in that form (merged)."""


class ValidationFailed(DomainError):  # noqa: N818
    """The input is not acceptable (a date that cannot be, a value out of range…). ``field`` names the input at
    fault (the service argument, which is also the form field) so that a form shows the message on that field."""

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):  # noqa: N818
    """A record the caller may not see, or that does not exist: the same 404 in both layers (selectors raise it, so
    that a record of another structure cannot be told from a missing one)."""

    default_message = "Cette fiche n'existe pas ou ne vous est pas accessible."
