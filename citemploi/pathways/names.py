"""Names as the duplicate check and the search compare them: lower case, no accents, no punctuation."""

from __future__ import annotations

from citemploi.core.collation import sort_key


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: « Éloïse  D'Arc » → « eloise d arc »."""
    return sort_key(text or "")


def search_name(first_name: str, last_name: str) -> str:
    """Also the French sort key of people (citemploi.core.collation): every list of people orders by it."""
    return normalise(f"{last_name} {first_name}")
