"""Documents attached by users (meeting documents, good practices): the one check of size and kind.

A document is accepted when its size is within DOCUMENT_MAX_MB and its kind is in DOCUMENT_KINDS — judged by the
extension **and** by the file's first bytes (a script renamed ``.pdf`` is refused). Every refusal is a French
message (``FileRefused``) and nothing is stored.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from citemploi.core.uploads import MB, FileRefused

ZIP = b"PK\x03\x04"
#: extension → the signatures its content may start with (empty: text, checked as UTF-8 without NUL bytes).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "odp": (ZIP,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "txt": (),
    "csv": (),
}


def allowed_kinds() -> list[str]:
    return [kind.lower().lstrip(".") for kind in settings.DOCUMENT_KINDS if kind.lower().lstrip(".") in SIGNATURES]


def check_document(name: str, size: int, content: IO[bytes]) -> str:
    """Refuse a document too large or of a kind not allowed; returns its extension. ``content`` is rewound."""
    limit = int(settings.DOCUMENT_MAX_MB) * MB
    if size > limit:
        raise FileRefused(
            _("Document trop volumineux (%(size)s Mo) : au plus %(max)s Mo.")
            % {"size": round(size / MB, 1), "max": settings.DOCUMENT_MAX_MB}
        )
    if size == 0:
        raise FileRefused(_("Le document est vide."))
    kind = PurePath(name).suffix.lower().lstrip(".")
    kinds = allowed_kinds()
    if kind not in kinds:
        raise FileRefused(
            _("Type de document refusé (« %(kind)s ») : types acceptés : %(kinds)s.")
            % {"kind": kind or _("sans extension"), "kinds": ", ".join(kinds)}
        )
    content.seek(0)
    head = content.read(4096)
    content.seek(0)
    signatures = SIGNATURES[kind]
    if signatures and not head.startswith(signatures):
        raise FileRefused(_("Le contenu du document ne correspond pas à son extension « .%(kind)s ».") % {"kind": kind})
    if not signatures and (b"\x00" in head or not _utf8_prefix(head)):
        raise FileRefused(_("Le document « .%(kind)s » n'est pas un texte lisible (UTF-8).") % {"kind": kind})
    return kind


def _utf8_prefix(head: bytes) -> bool:
    # The 4096-byte window may cut a multi-byte character at its end: allow up to 3 trailing bytes.
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False
