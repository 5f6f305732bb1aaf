"""French collation without database support: a normalised sort key stored next to the name it sorts.

SQLite and PostgreSQL (with a C or en_US collation) sort « Édouard » after « Zoé » and « Saint-Étienne » after
« Saint-Romain ». Every sorted list of names and communes orders by a key column written from the name instead:
accents stripped, case folded (œ → oe, ß → ss), hyphens, apostrophes and any punctuation as one space — so
« É » sorts with « E », « Saint-Étienne » before « Saint-Romain » before « Sainte-Croix », the same on both
databases. Person.search_name (last then first name), Commune.sort_name and Structure.sort_name hold it.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})


def sort_key(*parts: str) -> str:
    """« Saint-Étienne » → « saint etienne »; « D'Arc », « Éloïse » → « d arc eloise »."""
    text = " ".join(part or "" for part in parts).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()
