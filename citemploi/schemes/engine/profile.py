"""The person profile the engine reads, and its parsing from the CLI's JSON contract (docs/eligibility.md).

Pure Python: no Django import, so partner tooling and benchmarks can use it as is.

``None`` always means *unknown*. Two fields also need a *known: none* value, distinct from unknown:
``ft_registered_since`` is ``False`` for "not registered with France Travail" (JSON ``null``), and the string
fields ``ft_category`` and ``hiring_promise`` are ``""`` for "none" (JSON ``null``). A missing JSON key is unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, Literal

#: ASP education level codes (ref_niveau_formation_v3, as used by les-emplois ``itou/asp/models.py``).
EDUCATION_LEVELS = {
    "00": "Personne avec qualifications non certifiantes",
    "01": "Jamais scolarisé",
    "10": "Troisième cycle ou école d'ingénieur",
    "20": "Formation de niveau licence",
    "30": "Formation de niveau BTS ou DUT",
    "40": "Formation de niveau bac",
    "41": "Brevet de technicien ou baccalauréat professionnel",
    "50": "Formation de niveau BEP ou CAP",
    "51": "Diplôme obtenu CAP ou BEP",
    "60": "Formation courte d'une durée d'un an",
    "70": "Pas de formation au-delà de la scolarité obligatoire",
}
FT_CATEGORIES = ("A", "B", "C", "D", "E", "F", "G")
RSA_VALUES = ("none", "majore", "non_majore")
HIRING_PROMISES = ("cdi", "cdd_12m_plus", "cdd_6_12m", "interim_6m_plus")

BOOL_FIELDS = (
    "qpv_resident",
    "zrr_resident",
    "ass",
    "aah",
    "rqth",
    "single_parent",
    "homeless",
    "refugee",
    "ase_leaver",
    "justice",
    "french_below_a1",
    "mobility_problem",
    "student",
    "in_training",
    "has_qualification",
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the engine knows about a person; every field optional (``None`` = unknown)."""

    id: str | int | None = None
    birth_date: dt.date | None = None
    qpv_resident: bool | None = None
    zrr_resident: bool | None = None
    education_level: str | None = None
    ft_registered_since: dt.date | Literal[False] | None = None
    ft_category: str | None = None
    rsa: str | None = None
    ass: bool | None = None
    aah: bool | None = None
    rqth: bool | None = None
    single_parent: bool | None = None
    homeless: bool | None = None
    refugee: bool | None = None
    ase_leaver: bool | None = None
    justice: bool | None = None
    french_below_a1: bool | None = None
    mobility_problem: bool | None = None
    student: bool | None = None
    in_training: bool | None = None
    has_qualification: bool | None = None
    hiring_promise: str | None = None


PROFILE_KEYS = tuple(f.name for f in fields(Profile))


class ProfileError(ValueError):
    """A profile of the JSON file does not follow the contract; the message is French and names the key."""


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in completed years ("ans révolus") on ``on``: a person is 25 until the day before their 26th birthday.
    Born on 29 February: the birthday falls on 1 March in common years."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def months_between(start: dt.date, on: dt.date) -> int:
    """Completed months from ``start`` to ``on`` (negative when ``start`` is after ``on``)."""
    return (on.year - start.year) * 12 + on.month - start.month - (on.day < start.day)


def parse_date(value: object, what: str) -> dt.date:
    """A strict YYYY-MM-DD date (raises ProfileError with a French message)."""
    if not isinstance(value, str) or len(value) != 10:
        raise ProfileError(f"{what} : date attendue au format AAAA-MM-JJ, reçu {value!r}.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ProfileError(f"{what} : date invalide {value!r} (format AAAA-MM-JJ).") from None


def parse_profile(data: object, position: int = 0) -> Profile:
    """Build a Profile from one JSON object of the CLI contract; a missing key is unknown."""
    where = f"profil n° {position + 1}"
    if not isinstance(data, dict):
        raise ProfileError(f"{where} : un objet JSON est attendu, reçu {type(data).__name__}.")
    unknown = sorted(set(data) - set(PROFILE_KEYS))
    if unknown:
        raise ProfileError(f"{where} : clé(s) inconnue(s) {', '.join(unknown)}.")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        values[key] = _parse_value(key, raw, f"{where}, « {key} »")
    return Profile(**values)


def _parse_value(key: str, raw: object, where: str) -> Any:
    if key == "id":
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, str | int)):
            raise ProfileError(f"{where} : texte ou nombre attendu.")
        return raw
    if key in BOOL_FIELDS:
        if raw is not None and not isinstance(raw, bool):
            raise ProfileError(f"{where} : true, false ou null attendu, reçu {raw!r}.")
        return raw
    if key == "birth_date":
        return None if raw is None else parse_date(raw, where)
    if key == "ft_registered_since":
        return False if raw is None else parse_date(raw, where)
    return _parse_choice(key, raw, where)


_CHOICES: dict[str, tuple[tuple[str, ...], bool]] = {
    # key: (allowed values, whether JSON null means "known: none" rather than unknown)
    "education_level": (tuple(EDUCATION_LEVELS), False),
    "ft_category": (FT_CATEGORIES, True),
    "rsa": (RSA_VALUES, False),
    "hiring_promise": (HIRING_PROMISES, True),
}


def _parse_choice(key: str, raw: object, where: str) -> str | None:
    allowed, null_is_none = _CHOICES[key]
    if raw is None:
        return "" if null_is_none else None
    if raw not in allowed:
        raise ProfileError(f"{where} : valeur {raw!r} non prévue (valeurs admises : {', '.join(allowed)}, null).")
    return str(raw)
