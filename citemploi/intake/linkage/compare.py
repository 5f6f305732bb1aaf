"""Comparison of two records, field by field, into discrete levels (the Fellegi–Sunter comparison vector).

Each record is prepared once (``prepare``: normalised names, date digits, phone digits…); ``compare`` then only
looks up sets and calls rapidfuzz (C code). First and last names swapped are recognised (« prénom et nom
inversés ») and the comparison then uses the swapped orientation.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler, Levenshtein

from citemploi.intake.linkage.normalise import (
    NameForm,
    address_key,
    date_digits,
    email_key,
    first_name_form,
    fold,
    name_form,
    phone_key,
    postcode_key,
)
from citemploi.intake.linkage.records import LinkRecord

# Levels (the same words for every field; not every field uses all of them).
EXACT = "exact"
PARTIAL = "partial"  # a name equal to one part of a compound or double name
HIGH = "high"  # close (one typo)
LOW = "low"  # rather close
TYPO = "typo"  # birth date: one digit differs, or two adjacent digits swapped
DAYMONTH = "daymonth"  # birth date: day and month swapped
CLOSE = "close"  # e-mail one character apart, address nearly the same
ZONE = "zone"  # address: only the postcode (or the commune) is the same
DIFFERENT = "different"
MISSING = "missing"

NAME_HIGH = 0.90  # Jaro–Winkler similarity at or above: « nom proche »
NAME_LOW = 0.80
ADDRESS_CLOSE = 0.88  # rapidfuzz token_sort_ratio / 100

_NAME_RANK = {EXACT: 4, PARTIAL: 3, HIGH: 3, LOW: 1, DIFFERENT: 0, MISSING: 0}


@dataclass(frozen=True, slots=True)
class Features:
    """One record, normalised once."""

    id: str
    last: NameForm
    first: NameForm
    date: str
    sex: str
    email: str
    phone: str
    address: str
    postcode: str
    commune: str


@dataclass(frozen=True, slots=True)
class Comparison:
    last: str
    first: str
    date: str
    sex: str
    email: str
    phone: str
    address: str
    swapped: bool = False
    women: bool = False  # both records say F (a usage name after marriage is then plausible)
    usage_name: bool = False  # the last names agree through the other name of « X épouse Y », « Y née X »
    last_similarity: float = 0.0
    first_similarity: float = 0.0
    address_similarity: float = 0.0


def prepare(record: LinkRecord) -> Features:
    sex = (record.sex or "").strip().upper()[:1]
    return Features(
        id=record.id,
        last=name_form(record.last_name or ""),
        first=first_name_form(record.first_name or ""),
        date=date_digits(record.birth_date),
        sex=sex if sex in ("F", "M") else "",
        email=email_key(record.email),
        phone=phone_key(record.phone),
        address=address_key(record.address or ""),
        postcode=postcode_key(record.postcode),
        commune=fold(record.commune),
    )


def _similarity(left: frozenset[str], right: frozenset[str]) -> float:
    best = 0.0
    for x in left:
        for y in right:
            value = JaroWinkler.normalized_similarity(x, y)
            if value > best:
                best = value
    return best


def name_level(a: NameForm, b: NameForm) -> tuple[str, float]:
    """(level, similarity) of two names: exact variant in common, one part of a compound name, close, different."""
    if not a or not b:
        return MISSING, 0.0
    if a.full & b.full:
        return EXACT, 1.0
    if a.simple and b.simple:  # the common case: one word each, no particle, no marker
        similarity = JaroWinkler.normalized_similarity(a.main, b.main)
        if similarity < NAME_LOW - 0.1:
            return DIFFERENT, similarity
    if a.tokens & b.full or b.tokens & a.full:
        return PARTIAL, max(_similarity(a.full, b.full), 0.0)
    # A whole name against a part of the other's compound name too (« DVAID » / « David-Stéphane »).
    similarity = max(_similarity(a.full, b.full), _similarity(a.full, b.tokens), _similarity(a.tokens, b.full))
    # One letter apart is a typo in a long name, another name in a short one (« Léa » / « Léo », « Lina » / « Léna »).
    one_typo = min(len(a.main), len(b.main)) >= 5 and Levenshtein.distance(a.main, b.main, score_cutoff=1) <= 1
    if similarity >= NAME_HIGH or one_typo:
        return HIGH, similarity
    if similarity >= NAME_LOW:
        return LOW, similarity
    return DIFFERENT, similarity


def date_level(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    if a == b:
        return EXACT
    if a[:4] == b[:4] and a[4:6] == b[6:] and a[6:] == b[4:6]:
        return DAYMONTH
    diffs = [i for i in range(8) if a[i] != b[i]]
    if len(diffs) == 1:
        return TYPO
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
        return TYPO
    return DIFFERENT


def email_level(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    if a == b:
        return EXACT
    local_a, _, domain_a = a.partition("@")
    local_b, _, domain_b = b.partition("@")
    if domain_a == domain_b and Levenshtein.distance(local_a, local_b, score_cutoff=1) <= 1:
        return CLOSE
    return DIFFERENT


def address_level(a: Features, b: Features) -> tuple[str, float]:
    same_zone = (a.postcode and a.postcode == b.postcode) or (a.commune and a.commune == b.commune)
    zone_known = (a.postcode and b.postcode) or (a.commune and b.commune)
    if a.address and b.address:
        postcodes_agree = not (a.postcode and b.postcode) or a.postcode == b.postcode
        if a.address == b.address and postcodes_agree:
            return EXACT, 1.0
        similarity = fuzz.token_sort_ratio(a.address, b.address) / 100
        if similarity >= ADDRESS_CLOSE and postcodes_agree:
            return CLOSE, similarity
        if same_zone:
            return ZONE, similarity
        return DIFFERENT, similarity
    if zone_known:
        return (ZONE if same_zone else DIFFERENT), 0.0
    return MISSING, 0.0


def _two(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    return EXACT if a == b else DIFFERENT


def _may_be_swapped(a: Features, b: Features) -> bool:
    """A cheap test before comparing the swapped orientation: one crossed pair of names is already close."""
    if not (a.last and a.first and b.last and b.first):
        return False
    cross = JaroWinkler.normalized_similarity
    return cross(a.last.main, b.first.main) >= NAME_LOW or cross(a.first.main, b.last.main) >= NAME_LOW


def compare(a: Features, b: Features) -> Comparison:
    last, last_sim = name_level(a.last, b.last)
    first, first_sim = name_level(a.first, b.first)
    swapped = False
    if _NAME_RANK[last] + _NAME_RANK[first] < 6 and _may_be_swapped(a, b):
        s_last, s_last_sim = name_level(a.last, b.first)
        s_first, s_first_sim = name_level(a.first, b.last)
        if (
            min(_NAME_RANK[s_last], _NAME_RANK[s_first]) >= 1
            and max(_NAME_RANK[s_last], _NAME_RANK[s_first]) >= 3
            and (_NAME_RANK[s_last] + _NAME_RANK[s_first] > _NAME_RANK[last] + _NAME_RANK[first])
        ):
            last, last_sim, first, first_sim, swapped = s_last, s_last_sim, s_first, s_first_sim, True
    address, address_sim = address_level(a, b)
    return Comparison(
        last=last,
        first=first,
        date=date_level(a.date, b.date),
        sex=_two(a.sex, b.sex),
        email=email_level(a.email, b.email),
        phone=_two(a.phone, b.phone),
        address=address,
        swapped=swapped,
        women=a.sex == b.sex == "F",
        usage_name=last == EXACT and not swapped and (a.last.several or b.last.several) and a.last.main != b.last.main,
        last_similarity=last_sim,
        first_similarity=first_sim,
        address_similarity=address_sim,
    )
