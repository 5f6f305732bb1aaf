"""Shared limits on what users type: the length of free text, the characters of a name, the size of a search.

One constant per limit, used by the models (hence the ModelForms and ModelSerializers), the plain forms and the
plain serializers alike.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Every free text (notes, comments, reasons, descriptions): about two pages, far more than any real note.
TEXT_MAX_LENGTH = 5000
#: A search is a few words: more than that is never a name and makes the query expensive (SQLite refuses it).
SEARCH_MAX_WORDS = 10
SEARCH_MAX_CHARS = 100

#: Characters a name never holds, as one regular-expression class shared by the validator and the OpenAPI schema:
#: controls (C0, DEL, C1), soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width space,
#: (non-)joiners and direction marks (U+200B–U+200F), bidirectional embeddings and overrides (U+202A–U+202E),
#: word joiner and invisible operators (U+2060–U+2064), bidirectional isolates (U+2066–U+2069) and the deprecated
#: format characters after them, byte order mark, interlinear annotation.
NAME_FORBIDDEN = (
    r"\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
#: A name: none of the characters above, and at least one that is not a space.
NAME_PATTERN = rf"^[^{NAME_FORBIDDEN}]*[^\s{NAME_FORBIDDEN}][^{NAME_FORBIDDEN}]*$"
#: Any other text typed by a user: something that is not a space (DRF trims spaces), no NUL character.
TEXT_PATTERN = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"
#: Text that may be blank: still no NUL character.
NO_NUL_PATTERN = r"^[^\x00]*$"

_NAME = re.compile(NAME_PATTERN)


@deconstructible
class NameCharactersValidator(RegexValidator):
    """A name shows what it is: no control, bidirectional-override or invisible character.

    A RegexValidator so that drf-spectacular publishes the same rule as the schema's ``pattern``; the whole value
    must match (``fullmatch``: a trailing line break is refused too).
    """

    regex = NAME_PATTERN
    message = _("Ce nom contient un caractère invisible ou de contrôle : retapez-le sans copier-coller.")
    code = "invalid_characters"

    def __call__(self, value: str | None) -> None:
        if value and not _NAME.fullmatch(str(value)):  # blank names are the "required" rule's business
            raise ValidationError(self.message, code=self.code)


validate_name = NameCharactersValidator()


def search_words(text: str) -> list[str]:
    """The words of a search, bounded: at most SEARCH_MAX_CHARS characters, then SEARCH_MAX_WORDS words."""
    return text[:SEARCH_MAX_CHARS].split()[:SEARCH_MAX_WORDS]


def search_text(text: str) -> str:
    """The same bound for a search matched as one phrase."""
    return " ".join(search_words(text))
