"""Reads of the catalogue and the veille (scoped to the viewer where it matters: drafts are the coordination's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.schemes.engine import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    TO_CHECK,
    Catalogue,
    ParameterValue,
    Profile,
    Result,
    SchemeInfo,
    evaluate,
)
from citemploi.schemes.engine import parameters as labels
from citemploi.schemes.engine.result import RULES
from citemploi.schemes.models import GoodPractice, Scheme, SchemeParameter, VeilleEntry, VeilleFeedKey
from citemploi.schemes.permissions import can_manage_veille


def load_catalogue() -> Catalogue:
    """The catalogue from the database, every dated parameter included (two queries)."""
    schemes = [
        SchemeInfo(s.code, s.name, s.valid_from, s.valid_to)
        for s in Scheme.objects.order_by("name").only("code", "name", "valid_from", "valid_to")
    ]
    rows = SchemeParameter.objects.values_list("scheme__code", "key", "value", "valid_from", "valid_to")
    return Catalogue.build(schemes, (ParameterValue(*row) for row in rows))


def eligibility_for_person(person_profile: Profile, on: dt.date) -> list[Result]:
    """Every scheme's answer for a person on ``on``: eligible ones first, then those to check (with what is
    missing), then the not-eligible ones with why — none is dropped (issue 11 §2). Two queries whatever the number
    of schemes."""
    results = evaluate(person_profile, on, load_catalogue())
    order = {ELIGIBLE: 0, TO_CHECK: 1, NOT_ELIGIBLE: 2}
    return sorted(results, key=lambda r: order[r.answer])


@dataclass(frozen=True)
class ParameterLine:
    key: str
    label: str
    value: Any
    display: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    changed_by: str


def _line(p: SchemeParameter) -> ParameterLine:
    return ParameterLine(
        key=p.key,
        label=labels.label(p.key),
        value=p.value,
        display=labels.display(p.key, p.value),
        valid_from=p.valid_from,
        valid_to=p.valid_to,
        source=p.source,
        changed_by=str(p.changed_by) if p.changed_by_id else _("reprise initiale"),
    )


def scheme_list() -> QuerySet[Scheme]:
    return Scheme.objects.order_by("name")


@dataclass(frozen=True)
class SchemeDetail:
    scheme: Scheme
    rules: list[tuple[str, str]]
    current: list[ParameterLine]
    history: list[ParameterLine]


def scheme_detail(scheme: Scheme, on: dt.date) -> SchemeDetail:
    """The rules of a scheme in plain French, its parameters in force on ``on`` and the history of changes."""
    rows = list(
        SchemeParameter.objects.filter(scheme=scheme).select_related("changed_by").order_by("key", "valid_from")
    )
    current = [_line(p) for p in rows if p.valid_from <= on and (p.valid_to is None or on <= p.valid_to)]
    history = sorted((_line(p) for p in rows), key=lambda line: (line.valid_from, line.key), reverse=True)
    prefix = f"{scheme.code}."
    rules = [(rule_id, text) for rule_id, text in RULES.items() if rule_id.startswith(prefix)]
    return SchemeDetail(scheme=scheme, rules=rules, current=current, history=history)


def current_parameter(scheme: Scheme, key: str, on: dt.date) -> SchemeParameter | None:
    return (
        SchemeParameter.objects.filter(scheme=scheme, key=key, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .first()
    )


def veille_visible_to(user: object) -> QuerySet[VeilleEntry]:
    """Published entries for everyone; drafts only for the coordination."""
    entries = VeilleEntry.objects.prefetch_related("schemes")
    return entries if can_manage_veille(user) else entries.published()


#: Signing salt of the personal veille feed tokens: a token signed for another purpose never opens the feed.
VEILLE_FEED_SALT = "citemploi.schemes.veille-feed"


def _feed_version(user: User) -> int:
    # No row yet means version 0: showing the address never writes.
    return VeilleFeedKey.objects.filter(user=user).values_list("version", flat=True).first() or 0


def _feed_signer() -> signing.Signer:
    # No timestamp (a plain Signer, not signing.dumps): the address is the same at every display, until revoked.
    return signing.Signer(salt=VEILLE_FEED_SALT)


def veille_feed_token(user: User) -> str:
    """The token of the user's personal feed address: signed (SECRET_KEY, feed salt), without timestamp nor expiry,
    so the same address is shown every time; it names the user and the current version of their feed key, so
    regenerating the key revokes it."""
    return _feed_signer().sign_object({"u": str(user.public_id), "v": _feed_version(user)}, compress=False)


def veille_feed_owner(token: str) -> User | None:
    """The active account a feed token was issued to, or None when the token is forged, damaged or revoked.
    Addresses issued before (timestamped, ``signing.dumps``) still open the feed."""
    try:
        # An older address is "payload:timestamp:signature" (the same key and salt, one more field).
        legacy = token.count(signing.Signer().sep) == 2
        data = signing.loads(token, salt=VEILLE_FEED_SALT) if legacy else _feed_signer().unsign_object(token)
        public_id, version = str(data["u"]), int(data["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None or _feed_version(user) != version:
        return None
    return user


def good_practice_search(*, text: str = "", thematique: str = "") -> QuerySet[GoodPractice]:
    """Good practices matching a text (title, territory, description, results) and a data·inclusion thématique."""
    practices = GoodPractice.objects.prefetch_related("attachments")
    if text:
        practices = practices.filter(
            Q(title__icontains=text)
            | Q(territory__icontains=text)
            | Q(description__icontains=text)
            | Q(results__icontains=text)
        )
    if thematique:
        # The JSON list is searched as text: slugs are quoted in it, so '"slug"' matches one whole slug.
        practices = practices.filter(thematiques__icontains=f'"{thematique}"')
    return practices
