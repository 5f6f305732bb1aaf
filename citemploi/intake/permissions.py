"""Who may do what with imports (issue 12). One condition per line."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import rules
from django.conf import settings
from django.utils import timezone

from citemploi.accounts.permissions import is_caseworker, is_coordinator

if TYPE_CHECKING:
    from citemploi.accounts.models import Structure
    from citemploi.intake.models import Import

#: Upload a file, see the imports list: caseworkers (for their structure) and the coordinator (any structure).
can_import = is_coordinator | is_caseworker
rules.add_perm("intake.import", can_import)


def may_import_for(user: Any, structure: Structure) -> bool:
    """Import on behalf of ``structure``: the coordinator for any; a caseworker for one of their structures."""
    if is_coordinator(user):
        return True
    return bool(is_caseworker(user)) and structure.pk in user.structure_ids


def may_work_on(user: Any, batch: Import) -> bool:
    """Fix the mapping, exclude rows, confirm, spot: whoever may import for the import's structure."""
    return may_import_for(user, batch.structure)


def undo_deadline(batch: Import) -> Any:
    """The last moment an import may be undone (INTAKE_UNDO_DAYS after it was written)."""
    if batch.imported_at is None:
        return None
    return batch.imported_at + timedelta(days=int(settings.INTAKE_UNDO_DAYS))


def may_undo(user: Any, batch: Import) -> bool:
    """Undo an import: its author or the coordinator, within INTAKE_UNDO_DAYS."""
    deadline = undo_deadline(batch)
    if deadline is None or timezone.now() > deadline:
        return False
    if is_coordinator(user):
        return True
    return batch.created_by_id is not None and batch.created_by_id == getattr(user, "pk", None)
