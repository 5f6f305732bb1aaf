"""Limits of the intake readers: the shared zip-bomb check, and a reader that counts what it decompresses.

The zip's central directory is judged before anything is decompressed (``UploadLimits.check_archive``: total
uncompressed size, compression ratio, number of members). While a member is streamed, ``CountingReader`` stops
at the size the directory announced: a member lying about its size is refused, not decompressed to the end.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from citemploi.core.uploads import UploadLimits
from citemploi.intake.errors import FileRefused


def check_archive(path: Path, limits: UploadLimits) -> None:
    with path.open("rb") as handle:
        limits.check_archive(handle)


def human_size(size: int) -> str:
    """« 12,5 Mo », « 800 ko », « 120 octets »."""
    if size >= 1024 * 1024:
        return (_("%(n)s Mo") % {"n": f"{size / (1024 * 1024):.1f}".replace(".", ",")}).replace(",0 ", " ")
    if size >= 1024:
        return _("%(n)s ko") % {"n": size // 1024}
    return _("%(n)s octets") % {"n": size}


class CountingReader(io.RawIOBase):
    """Wraps a decompressing stream; raises FileRefused once more than ``limit`` bytes came out of it."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        super().__init__()
        self.raw, self.limit, self.count = raw, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self.limit - self.count + 1)
        data = self.raw.read(max(want, 1))
        self.count += len(data)
        if self.count > self.limit:
            raise FileRefused(
                _(
                    "Archive refusée : un fichier décompressé dépasse la taille annoncée (%(max)s), signe d'un fichier piégé."
                )
                % {"max": human_size(self.limit)}
            )
        buffer[: len(data)] = data
        return len(data)


def counted(raw: IO[bytes], limit: int) -> io.BufferedReader:
    return io.BufferedReader(CountingReader(raw, limit))
