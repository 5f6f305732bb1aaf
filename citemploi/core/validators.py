"""Shared limits on what users type: the length of free text, the characters of a name, the size of a search.

One constant per limit, used by the models (hence the ModelForms and ModelSerializers), the plain forms and the
plain serializers alike.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Every free text (notes, comments, reasons, descriptions): about two pages, far more than any real note.
TEXT_MAX_LENGTH = 5000
#: A search is a few words: more than that is never a name and makes the query expensive (SQLite refuses it).
SEARCH_MAX_WORDS = 10
SEARCH_MAX_CHARS = 100

#: Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what is shown.
BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
#: Invisible characters: zero-width space, (non-)joiners, marks, word joiner, byte order mark, soft hyphen.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad")


@deconstructible
class NameCharactersValidator:
    """A name shows what it is: no control, bidirectional-override or invisible character."""

    message = _("Ce nom contient un caractère invisible ou de contrôle : retapez-le sans copier-coller.")
    code = "invalid_characters"

    def __call__(self, value: str) -> None:
        if any(ch in BIDI_CONTROLS or ch in ZERO_WIDTH or unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameCharactersValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_name = NameCharactersValidator()


def search_words(text: str) -> list[str]:
    """The words of a search, bounded: at most SEARCH_MAX_CHARS characters, then SEARCH_MAX_WORDS words."""
    return text[:SEARCH_MAX_CHARS].split()[:SEARCH_MAX_WORDS]


def search_text(text: str) -> str:
    """The same bound for a search matched as one phrase."""
    return " ".join(search_words(text))
