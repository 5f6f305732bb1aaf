"""Normalisation of the fields the linkage compares (pure functions, cached: names repeat a lot in a cohort).

Names are folded like the French sort key (citemploi.core.collation: case, accents, hyphens, apostrophes and
punctuation → one space). A last name may carry several names: « DUPONT épouse MARTIN », « Martin née Dupont »,
« Dupont veuve Martin », « Durand dite Leroy » give two segments, each a name of the person. Particles
(« de », « d' », « le », « ben », « el »…) are kept in one variant (« Le Goff » → « legoff ») and dropped in
another (« goff »), so that « LEGOFF », « Le Goff » and « Le-Goff » agree. The tokens of a compound or double
name (« Martin-Dupont », « Jean Pierre ») are kept to recognise a name given in part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from citemploi.core.collation import sort_key

#: Words between two names of one person: the first is the birth name, the second the usage name (or the reverse).
MARKERS = frozenset({"epouse", "epse", "ep", "nee", "veuve", "vve", "veuf", "dite", "dit", "divorcee", "divorce"})
#: Particles dropped in the « core » variant of a name.
PARTICLES = frozenset(
    {"de", "du", "des", "d", "le", "la", "les", "l", "ben", "bent", "ibn", "el", "al", "van", "von", "der", "den"}
    | {"di", "da", "dos", "das", "del", "della", "do", "y"}
)
_STREET_WORDS = {
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "av": "avenue",
    "ave": "avenue",
    "r": "rue",
    "pl": "place",
    "ch": "chemin",
    "chem": "chemin",
    "imp": "impasse",
    "all": "allee",
    "rte": "route",
    "res": "residence",
    "resid": "residence",
    "sq": "square",
    "crs": "cours",
    "fg": "faubourg",
    "faub": "faubourg",
    "qu": "quai",
    "bis": "b",
    "ter": "t",
}


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name as the comparison uses it."""

    #: Whole-name variants, spaces removed: with and without particles, for each segment (« épouse », « née »).
    full: frozenset[str]
    #: The tokens of the name without particles (parts of a compound or double name), 2 letters or more.
    tokens: frozenset[str]
    #: The main variant (first segment, particles dropped, spaces removed): for similarity and phonetic keys.
    main: str
    #: One variant, one token (no particle, no compound, no marker): compared by its main variant only.
    simple: bool = False
    #: Several names (« Dupont épouse Martin »): birth and usage names.
    several: bool = False

    def __bool__(self) -> bool:
        return bool(self.main)


EMPTY_NAME = NameForm(frozenset(), frozenset(), "")


def _fold_table() -> dict[int, str]:
    table = {ord(ch): sort_key(ch) or " " for ch in "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"}
    table |= {ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"}
    return table


_FOLD = _fold_table()
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: « L'Hôpital-Étienne » → « l hopital etienne ».

    The same result as the French sort key (citemploi.core.collation), faster for the usual letters."""
    folded = (text or "").casefold().translate(_FOLD)
    if not folded.isascii():
        return sort_key(folded)
    return _NOT_ALNUM.sub(" ", folded).strip()


@lru_cache(maxsize=200_000)
def name_form(raw: str, *, last: bool = True) -> NameForm:
    """« DUPONT épouse MARTIN » → full {dupont, martin}, tokens {dupont, martin}, main « dupont »."""
    words = fold(raw).split()
    if not words:
        return EMPTY_NAME
    segments: list[list[str]] = [[]]
    for word in words:
        if last and word in MARKERS:
            segments.append([])
        else:
            segments[-1].append(word)
    if not any(segments):  # only a marker: it is the name
        segments = [words]
    full: set[str] = set()
    tokens: set[str] = set()
    main = ""
    for segment in segments:
        if not segment:
            continue
        core = [w for w in segment if w not in PARTICLES] or segment
        full.add("".join(segment))
        full.add("".join(core))
        tokens.update(w for w in core if len(w) >= 2)
        main = main or "".join(core)
    return NameForm(
        frozenset(full),
        frozenset(tokens),
        main,
        simple=len(full) == 1 and len(tokens) <= 1,
        several=sum(1 for segment in segments if segment) > 1,
    )


def first_name_form(raw: str) -> NameForm:
    return name_form(raw, last=False)


def date_digits(value: date | None) -> str:
    """« 19850312 » (the string the typo comparison works on), '' when unknown."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}" if value else ""


def email_key(raw: str) -> str:
    return (raw or "").strip().lower()


def phone_key(raw: str) -> str:
    """The last 9 digits (« +33 6 12 34 56 78 », « 06.12.34.56.78 » → « 612345678 »), '' when fewer than 9."""
    digits = re.sub(r"\D", "", raw or "")
    return digits[-9:] if len(digits) >= 9 else ""


@lru_cache(maxsize=200_000)
def address_key(raw: str) -> str:
    """Folded street address with the usual abbreviations expanded: « 3 bd V. Hugo » → « 3 boulevard v hugo »."""
    return " ".join(_STREET_WORDS.get(w, w) for w in fold(raw).split())


def postcode_key(raw: str) -> str:
    return re.sub(r"\s", "", raw or "")
