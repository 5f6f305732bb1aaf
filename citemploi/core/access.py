"""The access-log helper that every app calls on each read of a person's record (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from citemploi.core.models import AccessLog

if TYPE_CHECKING:
    from citemploi.accounts.models import Structure, User


class PersonalRecord(Protocol):
    @property
    def public_id(self) -> object: ...

    def __str__(self) -> str: ...


def log_access(
    *,
    user: User,
    record: PersonalRecord,
    structure: Structure | None = None,
    reason: str = "",
    path: str = "",
) -> AccessLog:
    """Write who read which record, from which structure, when.

    ``structure`` is the structure the reader acts for (their primary structure by default). Callers decide
    whether the read comes from outside the record's own structure; see `log_access_if_outside`.
    """
    return AccessLog.objects.create(
        user=user,
        structure=structure if structure is not None else user.primary_structure,
        record_type=type(record)._meta.label_lower,  # type: ignore[attr-defined]
        record_id=str(record.public_id),
        record_label=str(record)[:200],
        reason=reason[:200],
        path=path[:500],
    )


def log_access_if_outside(
    *, user: User, record: PersonalRecord, owner_structure_id: int | None, reason: str = "", path: str = ""
) -> AccessLog | None:
    """Log the read when the reader does not belong to the structure that owns the record."""
    if owner_structure_id is not None and owner_structure_id in user.structure_ids:
        return None
    return log_access(user=user, record=record, reason=reason, path=path)


def log_accesses(*, user: User, records: Iterable[PersonalRecord], reason: str = "", path: str = "") -> int:
    """`log_access` for several records read at once (an API page), in one query; returns the rows written."""
    structure = user.primary_structure
    rows = [
        AccessLog(user=user, structure=structure, record_type=type(r)._meta.label_lower,  # type: ignore[attr-defined]
                  record_id=str(r.public_id), record_label=str(r)[:200], reason=reason[:200], path=path[:500])
        for r in records
    ]  # fmt: skip
    return len(AccessLog.objects.bulk_create(rows))
