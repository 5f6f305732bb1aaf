"""The person profile the engine reads, and its parsing from the CLI's JSON contract (docs/eligibility.md).

Pure Python: no Django import, so partner tooling and benchmarks can use it as is.

``None`` always means *unknown*. Some fields also need a *known: none* value, distinct from unknown:
``ft_registered_since`` is ``False`` for "not registered with France Travail" (JSON ``null``), and the string
fields ``ft_category``, ``hiring_promise`` and ``boe_title`` are ``""`` for "none" (JSON ``null``). A missing JSON
key is unknown. ``ft_registered`` (true / false) says whether the person is registered when the date is not known.
``ft_periods`` is the registration history: (start, end or None while open, category or None when unknown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, Literal

#: ASP education level codes (ref_niveau_formation_v3, as used by les-emplois ``itou/asp/models.py``), in
#: INCREASING level order — the codes themselves are not (00 and 70 sit below 50, 10 is the highest): every form,
#: display and list of levels follows this order (citemploi.pathways.choices.EducationLevel mirrors it).
EDUCATION_LEVELS = {
    "01": "Jamais scolarisé",
    "70": "Pas de formation au-delà de la scolarité obligatoire",
    "00": "Personne avec qualifications non certifiantes",
    "60": "Formation courte d'une durée d'un an",
    "50": "Formation de niveau BEP ou CAP",
    "51": "Diplôme obtenu CAP ou BEP",
    "40": "Formation de niveau bac",
    "41": "Brevet de technicien ou baccalauréat professionnel",
    "30": "Formation de niveau BTS ou DUT",
    "20": "Formation de niveau licence",
    "10": "Troisième cycle ou école d'ingénieur",
}
#: « Niveau d'étude 3 (CAP, BEP) ou infra », the one definition used by the engine, the person's record and the
#: indicators: the IAE level-2 criterion of les-emplois (gip-inclusion, itou/eligibility, administrative criteria
#: "niveau d'étude 3 ou infra") over the ASP codes (ref_niveau_formation_v3) — reference/domain-research.md §4.2.
#: Code 60 (formation courte d'un an) is not in it.
LOW_EDUCATION_CODES: tuple[str, ...] = ("00", "01", "50", "51", "70")
FT_CATEGORIES = ("A", "B", "C", "D", "E", "F", "G")
#: Categories that count for long-term unemployment (DARES / France Travail: registered in A, B or C).
JOB_SEEKER_CATEGORIES = frozenset({"A", "B", "C"})
RSA_VALUES = ("none", "majore", "non_majore")
#: Kinds of contract a hiring promise (POEI, AFPR) is about; its length is ``hiring_promise_months``.
HIRING_PROMISES = ("cdi", "cdd", "interim", "seasonal", "work_study")
#: Older CLI values, still accepted: (kind, months).
LEGACY_PROMISES = {"cdd_12m_plus": ("cdd", 12), "cdd_6_12m": ("cdd", 6), "interim_6m_plus": ("interim", 6)}
#: Titles of the employment obligation (art. L.5212-13 C. trav.) other than RQTH and AAH (own fields).
BOE_TITLES = {
    "at_mp": "rente d'accident du travail ou de maladie professionnelle (incapacité ≥ 10 %)",
    "invalidity": "pension d'invalidité (capacité réduite des 2/3)",
    "military": "pension militaire d'invalidité ou de victime de guerre",
    "firefighter": "allocation ou rente d'invalidité de sapeur-pompier volontaire",
    "cmi": "carte mobilité inclusion « invalidité »",
}

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
    "ft_registered",
    "former_cui",
)

Period = tuple[dt.date, "dt.date | None", "str | None"]


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
    hiring_promise_months: int | None = None
    ft_registered: bool | None = None
    ft_periods: tuple[Period, ...] = ()
    boe_title: str | None = None
    former_cui: bool | None = None


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
    legacy = LEGACY_PROMISES.get(values.get("hiring_promise") or "")
    if legacy is not None:
        values["hiring_promise"] = legacy[0]
        values.setdefault("hiring_promise_months", legacy[1])
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
    if key == "hiring_promise_months":
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int) or raw < 0):
            raise ProfileError(f"{where} : nombre de mois entier attendu.")
        return raw
    if key == "ft_periods":
        return _parse_periods(raw, where)
    return _parse_choice(key, raw, where)


def _parse_periods(raw: object, where: str) -> tuple[Period, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ProfileError(f"{where} : liste de périodes attendue.")
    periods: list[Period] = []
    for index, item in enumerate(raw):
        here = f"{where}, période n° {index + 1}"
        if not isinstance(item, dict) or "start" not in item or set(item) - {"start", "end", "category"}:
            raise ProfileError(f"{here} : objet {{start, end, category}} attendu.")
        start = parse_date(item["start"], here)
        end = None if item.get("end") is None else parse_date(item["end"], here)
        category = item.get("category")
        if category is not None and category not in FT_CATEGORIES:
            raise ProfileError(f"{here} : catégorie {category!r} non prévue.")
        periods.append((start, end, category))
    return tuple(periods)


_CHOICES: dict[str, tuple[tuple[str, ...], bool]] = {
    # key: (allowed values, whether JSON null means "known: none" rather than unknown)
    "education_level": (tuple(EDUCATION_LEVELS), False),
    "ft_category": (FT_CATEGORIES, True),
    "rsa": (RSA_VALUES, False),
    "hiring_promise": ((*HIRING_PROMISES, *LEGACY_PROMISES), True),
    "boe_title": (tuple(BOE_TITLES), True),
}


def _parse_choice(key: str, raw: object, where: str) -> str | None:
    allowed, null_is_none = _CHOICES[key]
    if raw is None:
        return "" if null_is_none else None
    if raw not in allowed:
        raise ProfileError(f"{where} : valeur {raw!r} non prévue (valeurs admises : {', '.join(allowed)}, null).")
    return str(raw)
