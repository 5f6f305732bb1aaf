"""Matching a file's column headers to the fields of an import (docs/intake.md, « Formats acceptés »).

``normalise_header`` makes « Tél. portable », « TEL_PORTABLE » and « tél-portable » the same text (« tel
portable »). ``propose_mapping`` proposes, for each field, the best header: a header equal to the field's name
beats one equal to a synonym (an earlier synonym beats a later one), which beats one equal once the small words
(de, du, la, d', n°…) are left out, which beats a close spelling (rapidfuzz, above FUZZY_THRESHOLD). Each header
is used at most once, the best pairs first: « Nom de naissance » and « Nom d'usage » in one file go one to
``nom`` and the other stays free. The user corrects the proposal; this only saves typing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

#: Below this similarity (0–100, rapidfuzz) a header is not proposed for a field.
FUZZY_THRESHOLD = 86.0
_STOPWORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "en", "n", "no", "num"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")

#: Synonyms of the person fields, best first (the field's own name is always tried first). Reused by the
#: imports of people; a mapping saved by the user comes before any of them.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "nom": (
        "nom",
        "nom d'usage",
        "nom usage",
        "nom usuel",
        "nom de famille",
        "nom de naissance",
        "nom naissance",
        "nom patronymique",
        "patronyme",
        "nom du jeune",
        "nom beneficiaire",
        "nom du beneficiaire",
        "nom candidat",
        "nom demandeur",
        "last name",
        "surname",
    ),
    "prenom": (
        "prénom",
        "prénoms",
        "prénom usuel",
        "premier prénom",
        "prénom du jeune",
        "prénom bénéficiaire",
        "prénom du bénéficiaire",
        "prénom candidat",
        "first name",
        "given name",
    ),
    "date_naissance": (
        "date de naissance",
        "date naissance",
        "DDN",
        "DN",
        "né le",
        "né(e) le",
        "née le",
        "date de naiss",
        "date naiss",
        "naissance",
        "birth date",
        "birthdate",
        "date of birth",
    ),
    "sexe": ("sexe", "genre", "civilité", "H/F", "F/H", "M/F", "sex", "gender"),
    "email": (
        "courriel",
        "e-mail",
        "email",
        "mail",
        "mél",
        "adresse mail",
        "adresse e-mail",
        "adresse courriel",
        "adresse électronique",
        "adresse mel",
        "courriel personnel",
    ),
    "telephone": (
        "téléphone",
        "tél",
        "tel",
        "tél. portable",
        "téléphone portable",
        "portable",
        "tél. mobile",
        "téléphone mobile",
        "mobile",
        "numéro de téléphone",
        "n° de téléphone",
        "n° de portable",
        "GSM",
        "tél. fixe",
        "téléphone fixe",
        "téléphone 1",
        "tél 1",
        "phone",
    ),
    "adresse": (
        "adresse",
        "adresse postale",
        "adresse 1",
        "adresse ligne 1",
        "ligne adresse 1",
        "adresse complète",
        "adresse de résidence",
        "numéro et voie",
        "n° et voie",
        "n° et libellé de voie",
        "voie",
        "rue",
        "address",
    ),
    "code_postal": ("code postal", "CP", "codepostal", "code post", "C.P.", "postal code", "zip"),
    "commune": (
        "commune",
        "ville",
        "localité",
        "commune de résidence",
        "ville de résidence",
        "libellé commune",
        "nom commune",
        "nom de la commune",
        "city",
    ),
    "insee": (
        "code INSEE",
        "INSEE",
        "code commune",
        "code commune INSEE",
        "code INSEE commune",
        "COG",
        "citycode",
        "code officiel géographique",
    ),
}


def normalise_header(h: str) -> str:
    """Lower case, no accents, « n° » as « n », punctuation, underscores and hyphens as single spaces."""
    text = unicodedata.normalize("NFKD", h.replace("°", " ").replace("œ", "oe").replace("Œ", "oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NOT_WORD.sub(" ", text).strip()


def _loose(normalised: str) -> str:
    """Without small words nor spaces: « date de naissance » and « date naissance » both give « datenaissance »."""
    words = [word for word in normalised.split() if word not in _STOPWORDS]
    return "".join(words or normalised.split())


def _score(header: str, field: str, synonyms: Sequence[str]) -> tuple[int, float] | None:
    """(level, quality) of ``header`` for ``field``, higher is better; None when it does not match at all."""
    names = [normalise_header(field), *(normalise_header(s) for s in synonyms)]
    names = [n for n in names if n]
    if not header:
        return None
    if header == names[0] or header.replace(" ", "") == names[0].replace(" ", ""):
        return (4, 100.0)
    for rank, name in enumerate(names[1:]):
        if header == name or header.replace(" ", "") == name.replace(" ", ""):
            return (3, 100.0 - rank)
    loose = _loose(header)
    for rank, name in enumerate(names):
        if loose == _loose(name):
            return (2, 100.0 - rank)
    best = max(max(fuzz.ratio(header, name), fuzz.token_sort_ratio(header, name)) for name in names)
    if best >= FUZZY_THRESHOLD:
        return (1, best)
    return None


def propose_mapping(headers: list[str], fields: Mapping[str, Sequence[str]]) -> dict[str, str | None]:
    """{field: the header proposed for it, or None}; each header at most once, the best matches first."""
    normalised = [normalise_header(h) for h in headers]
    pairs: list[tuple[tuple[int, float], int, int, str]] = []
    for field_rank, (field, synonyms) in enumerate(fields.items()):
        for position, header in enumerate(normalised):
            score = _score(header, field, synonyms)
            if score is not None:
                pairs.append((score, -field_rank, -position, field))
    pairs.sort(reverse=True)
    result: dict[str, str | None] = dict.fromkeys(fields)
    used: set[int] = set()
    for _score_value, _field_rank, negative_position, field in pairs:
        position = -negative_position
        if result[field] is None and position not in used:
            result[field] = headers[position]
            used.add(position)
    return result
