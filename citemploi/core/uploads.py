"""Limits on uploaded files, so that no file can exhaust a worker (issue 9 §16).

A file is refused with a French message (``FileRefused``) before its content is processed when it is too large, has
too many columns, rows or too long a cell, or — for the zip-based formats (XLSX, ODS, ZIP) — when its central
directory announces too much uncompressed data or a compression ratio that only a zip bomb has. The central
directory is read from the end of the file: nothing is decompressed to check it. Every limit is a setting
(docs/environment.md).
"""

from __future__ import annotations

import csv
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from citemploi.core.errors import ValidationFailed

MB = 1024 * 1024


class FileRefused(ValidationFailed):
    """The file is refused as a whole (French message); nothing of it was kept."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    columns: int
    rows: int
    cell_chars: int
    uncompressed_bytes: int
    compression_ratio: int
    archive_members: int

    @classmethod
    def current(cls) -> UploadLimits:
        return cls(
            max_bytes=int(settings.UPLOAD_MAX_MB) * MB,
            columns=int(settings.UPLOAD_MAX_COLUMNS),
            rows=int(settings.UPLOAD_MAX_ROWS),
            cell_chars=int(settings.UPLOAD_MAX_CELL_CHARS),
            uncompressed_bytes=int(settings.UPLOAD_MAX_UNCOMPRESSED_MB) * MB,
            compression_ratio=int(settings.UPLOAD_MAX_COMPRESSION_RATIO),
            archive_members=int(settings.UPLOAD_MAX_ARCHIVE_MEMBERS),
        )

    # --- The checks, each with its message ----------------------------------------------------------------------

    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise FileRefused(
                _("Fichier trop volumineux (%(size)s Mo) : au plus %(max)s Mo.")
                % {"size": round(size / MB, 1), "max": self.max_bytes // MB}
            )

    def check_columns(self, count: int) -> None:
        if count > self.columns:
            raise FileRefused(
                _("Trop de colonnes (%(count)s) : au plus %(max)s. Gardez seulement les colonnes utiles.")
                % {"count": count, "max": self.columns}
            )

    def check_rows(self, count: int) -> None:
        if count > self.rows:
            raise FileRefused(
                _("Trop de lignes : au plus %(max)s. Découpez le fichier en plusieurs.") % {"max": self.rows}
            )

    def check_cell(self, value: object, line: int) -> None:
        if isinstance(value, str) and len(value) > self.cell_chars:
            raise FileRefused(self.cell_message(line))

    def cell_message(self, line: int | None) -> str:
        where = _("ligne %(line)s : ") % {"line": line} if line else ""
        return where + _("une cellule dépasse %(max)s caractères.") % {"max": self.cell_chars}

    def check_archive(self, source: str | IO[bytes]) -> None:
        """Read the zip's central directory (never its content) and refuse a bomb or a damaged file."""
        try:
            with zipfile.ZipFile(source) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise FileRefused(_("Classeur ou archive illisible : enregistrez-le à nouveau.")) from error
        if len(members) > self.archive_members:
            raise FileRefused(
                _("Archive refusée : %(count)s éléments (au plus %(max)s).")
                % {"count": len(members), "max": self.archive_members}
            )
        uncompressed = sum(m.file_size for m in members)
        compressed = sum(m.compress_size for m in members)
        if uncompressed > self.uncompressed_bytes:
            raise FileRefused(
                _("Classeur refusé : il ferait %(size)s Mo une fois décompressé (au plus %(max)s Mo).")
                % {"size": uncompressed // MB, "max": self.uncompressed_bytes // MB}
            )
        # Ratio of the whole file, and of each large member: text compresses 5 to 20 times, a bomb 1,000 times.
        large = [m for m in members if m.file_size > MB]
        worst = max((m.file_size / max(m.compress_size, 1) for m in large), default=0.0)
        if uncompressed > MB and (
            uncompressed / max(compressed, 1) > self.compression_ratio or worst > self.compression_ratio
        ):
            raise FileRefused(
                _(
                    "Classeur refusé : taux de compression anormal (plus de %(ratio)s fois), "
                    "signe d'un fichier piégé. Enregistrez-le au format CSV."
                )
                % {"ratio": self.compression_ratio}
            )


@contextmanager
def csv_cell_limit(limits: UploadLimits) -> Iterator[None]:
    """The csv module refuses a field longer than the limit while reading (``csv.Error``) for the duration."""
    previous = csv.field_size_limit(limits.cell_chars)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


class Deadline:
    """A time budget for a background job: ``check()`` raises FileRefused once it is spent."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self.ends = clock() + seconds

    def check(self) -> None:
        if self.clock() > self.ends:
            raise FileRefused(
                _("Vérification arrêtée : elle dépassait %(seconds)s secondes. Découpez le fichier en plusieurs.")
                % {"seconds": int(self.seconds)}
            )
