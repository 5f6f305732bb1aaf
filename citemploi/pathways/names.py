"""Names as the duplicate check and the search compare them: lower case, no accents, no punctuation."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: « Éloïse  D'Arc » → « eloise d arc »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


def search_name(first_name: str, last_name: str) -> str:
    return normalise(f"{last_name} {first_name}")
