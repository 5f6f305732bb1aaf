"""Write services of imports (issue 12 §1, §3, §6): upload, mapping, exclusions, confirmation, spotting, undo.

Each service takes the actor (``by``; None is an operator's command without ``--by``), checks the rule of
``intake.permissions`` first, and is atomic. The file is read in the background (``intake.tasks``): the upload
page only checks what can be checked at once (size, format, header) so that a hostile file is refused with one
French message before anything is written.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, User
from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.intake import kinds
from citemploi.intake.mappings import FIELDS_BY_NAME
from citemploi.intake.models import ColumnMapping, Import, ImportRow, Kind, State
from citemploi.intake.people import MappingError, check_mapping
from citemploi.intake.permissions import may_import_for, may_undo, may_work_on
from citemploi.intake.readers import intake_limits

logger = logging.getLogger("citemploi.intake")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _sha256(handle: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    while block := handle.read(1 << 20):
        digest.update(block)
        size += len(block)
    handle.seek(0)
    return digest.hexdigest(), size


def import_create(
    *,
    by: User | None,
    structure: Structure,
    kind: str,
    path: Path,
    filename: str,
    source: str = "",
    via_command: bool = False,
) -> Import:
    """Record an upload and queue its analysis. The file is refused at once (``FileRefused``, nothing written)
    when it is over the size limit, not a readable table/workbook of the kind, or has no usable header."""
    if by is not None or not via_command:
        _require(may_import_for(by, structure), _("Vous ne pouvez importer que pour votre structure."))
    if kind not in Kind.values:
        raise ValidationFailed(_("Type d'import inconnu."), field="kind")
    intake_limits().check_size(path.stat().st_size)
    headers = kinds.open_headers(kind, path, filename=filename)  # raises FileRefused for a hostile file
    with path.open("rb") as handle:
        sha, size = _sha256(handle)
        batch = _store(by, structure, kind, source, via_command, filename, sha, size, headers, handle)
    transaction.on_commit(lambda: kinds.enqueue_analysis(batch.pk))
    return batch


@transaction.atomic
def _store(
    by: User | None,
    structure: Structure,
    kind: str,
    source: str,
    via_command: bool,
    filename: str,
    sha: str,
    size: int,
    headers: list[str],
    handle: IO[bytes],
) -> Import:
    name = Path(filename).name[:200] or "fichier"
    batch = Import(
        kind=kind,
        structure=structure,
        created_by=by,
        via_command=via_command,
        source=source[:80],
        original_name=name,
        size=size,
        sha256=sha,
        headers=headers,
        file_expires_at=timezone.now() + timedelta(days=int(settings.INTAKE_FILE_RETENTION_DAYS)),
    )
    if kind == Kind.PEOPLE:
        from citemploi.intake.mappings import propose

        batch.mapping = propose(headers, structure=structure, source=source)
    batch.save()
    batch.file.save(f"{batch.public_id}{Path(name).suffix.lower()}", File(handle), save=False)
    batch.save(update_fields=["file"])
    logger.info("import %s déposé (%s, %s octets) par %s", batch.pk, kind, size, getattr(by, "pk", "commande"))
    return batch


def _locked(batch: Import, *states: str) -> Import:
    locked = Import.objects.select_for_update(of=("self",)).get(pk=batch.pk)
    if states and locked.state not in states:
        raise InvalidTransition(
            _("Cet import est « %(state)s » : cette action n'est plus possible.")
            % {"state": locked.get_state_display()}
        )
    return locked


@transaction.atomic
def mapping_save(*, by: User | None, batch: Import, columns: dict[str, str], source: str) -> Import:
    """Correct the mapping of an analysed people list and analyse it again; the mapping is saved for the
    structure and ``source`` (offered again next time)."""
    _require(by is None or may_work_on(by, batch), _("Vous ne pouvez pas modifier cet import."))
    locked = _locked(batch, State.ANALYSED)
    if locked.kind != Kind.PEOPLE:
        raise InvalidTransition(_("Seule une liste de personnes a des correspondances de colonnes."))
    columns = {name: (columns.get(name) or "") for name in FIELDS_BY_NAME}
    try:
        check_mapping(columns, locked.headers)
    except MappingError as error:
        raise ValidationFailed(str(error)) from error
    source = (source or "").strip()[:80]
    if source:
        ColumnMapping.objects.update_or_create(
            structure=locked.structure, kind=Kind.PEOPLE, source=source, defaults={"columns": columns, "updated_by": by}
        )
    locked.mapping, locked.source = columns, source or locked.source
    locked.state, locked.processed_rows, locked.counts, locked.error = State.PENDING, 0, {}, ""
    locked.save(update_fields=["mapping", "source", "state", "processed_rows", "counts", "error", "updated_at"])
    transaction.on_commit(lambda: kinds.enqueue_analysis(locked.pk))
    return locked


@transaction.atomic
def rows_exclude(*, by: User | None, batch: Import, lines: list[int], excluded: bool = True) -> int:
    """Exclude rows of an analysed import (or bring them back); returns how many rows changed."""
    _require(by is None or may_work_on(by, batch), _("Vous ne pouvez pas modifier cet import."))
    locked = _locked(batch, State.ANALYSED)
    changed = (
        ImportRow.objects.filter(batch=locked, line__in=lines).exclude(excluded=excluded).update(excluded=excluded)
    )
    locked.counts = {**locked.counts, "excluded": ImportRow.objects.filter(batch=locked, excluded=True).count()}
    locked.save(update_fields=["counts", "updated_at"])
    return changed


@transaction.atomic
def import_confirm(*, by: User | None, batch: Import) -> Import:
    """Confirm an analysed import: rows still in error are left out (counted « en erreur »); the background
    task then geocodes and links a people list (nothing created yet) or writes a history workbook."""
    _require(by is None or may_work_on(by, batch), _("Vous ne pouvez pas confirmer cet import."))
    locked = _locked(batch, State.ANALYSED)
    if locked.error:
        raise InvalidTransition(_("Corrigez d'abord les correspondances de colonnes."))
    if locked.kind == Kind.HISTORY and locked.counts.get("errors"):
        raise InvalidTransition(_("La reprise de l'historique ne s'importe qu'entière : corrigez d'abord les erreurs."))
    locked.state, locked.confirmed_at, locked.processed_rows = State.CONFIRMED, timezone.now(), 0
    locked.save(update_fields=["state", "confirmed_at", "processed_rows", "updated_at"])
    logger.info("import %s confirmé par %s", locked.pk, getattr(by, "pk", "commande"))
    transaction.on_commit(lambda: kinds.enqueue_processing(locked.pk))
    return locked


def import_spot(*, by: User, batch: Import, lines: list[int] | None = None) -> Import:
    """« Repérer ces personnes »: create, in one transaction, the rows in a QPV not followed (all, or
    ``lines``) with the channel « croisement », the importing structure and today's date."""
    from citemploi.intake.spotting import spot

    _require(may_work_on(by, batch), _("Vous ne pouvez pas repérer les personnes de cet import."))
    return spot(by=by, batch=batch, lines=lines)


def import_undo(*, by: User | None, batch: Import) -> Import:
    """Undo an import (its author or the coordinator, within INTAKE_UNDO_DAYS): what it created is removed, what
    it changed restored; records edited since are kept and listed with the reason."""
    from citemploi.intake.undo import undo

    batch = Import.objects.get(pk=batch.pk)  # the rule reads the stored dates, not a caller's stale copy
    _require(by is None or may_undo(by, batch), _("Seuls l'auteur de l'import et la coordination peuvent l'annuler, "
                                                  "dans le délai prévu."))  # fmt: skip
    return undo(by=by, batch=batch)


def import_files_purge(*, dry_run: bool = False) -> int:
    """Delete the files of imports past INTAKE_FILE_RETENTION_DAYS, and the values read from them (the rows keep
    their line, outcome and errors; the import its name, size and SHA-256). Returns how many files were (or would
    be) deleted."""
    due = Import.objects.filter(file_expires_at__lte=timezone.now(), file_deleted_at__isnull=True).exclude(file="")
    count = 0
    for batch in due.iterator():
        count += 1
        if not dry_run:
            batch.file.delete(save=False)
            ImportRow.objects.filter(batch=batch).update(values={}, geo={})
            Import.objects.filter(pk=batch.pk).update(file="", file_deleted_at=timezone.now())
    return count
