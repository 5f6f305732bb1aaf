"""The reasons of a candidate, in French, for the review screen (« même date de naissance », « nom proche (0,93) »)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citemploi.intake.linkage import compare as c
from citemploi.intake.linkage.compare import Comparison


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _name(level: str, similarity: float, *, first: bool) -> str | None:
    if level == c.EXACT:
        return _("même prénom") if first else _("même nom")
    if level == c.PARTIAL:
        return _("prénom composé en partie commun") if first else _("nom composé ou double en partie commun")
    if level in (c.HIGH, c.LOW):
        label = _("prénom proche (%(score)s)") if first else _("nom proche (%(score)s)")
        return label % {"score": _number(similarity)}
    if level == c.DIFFERENT:
        return _("prénoms différents") if first else _("noms différents")
    return None


def reasons(comparison: Comparison) -> tuple[str, ...]:
    """The reasons, cached by comparison (the same few hundred come back; gettext per call is costly)."""
    rounded = replace(
        comparison,
        last_similarity=round(comparison.last_similarity, 2),
        first_similarity=round(comparison.first_similarity, 2),
        address_similarity=round(comparison.address_similarity, 2),
    )
    return _reasons(rounded, get_language())


@lru_cache(maxsize=20_000)
def _reasons(comparison: Comparison, language: str | None) -> tuple[str, ...]:
    found: list[str | None] = []
    if comparison.swapped:
        found.append(_("prénom et nom inversés"))
    if comparison.usage_name:
        found.append(_("nom de naissance ou d'usage en commun"))
    else:
        found.append(_name(comparison.last, comparison.last_similarity, first=False))
    found.append(_name(comparison.first, comparison.first_similarity, first=True))
    found.append(
        {
            c.EXACT: _("même date de naissance"),
            c.TYPO: _("date de naissance à un chiffre près"),
            c.DAYMONTH: _("jour et mois de naissance inversés"),
            c.DIFFERENT: _("dates de naissance différentes"),
        }.get(comparison.date)
    )
    if comparison.sex == c.DIFFERENT:
        found.append(_("sexe différent"))
    found.append(
        {
            c.EXACT: _("même courriel"),
            c.CLOSE: _("courriel presque identique"),
            c.DIFFERENT: _("courriels différents"),
        }.get(comparison.email)
    )
    found.append({c.EXACT: _("même téléphone"), c.DIFFERENT: _("téléphones différents")}.get(comparison.phone))
    if comparison.address == c.CLOSE:
        found.append(_("adresse proche (%(score)s)") % {"score": _number(comparison.address_similarity)})
    else:
        found.append(
            {
                c.EXACT: _("même adresse"),
                c.ZONE: _("même code postal ou même commune"),
                c.DIFFERENT: _("adresses différentes"),
            }.get(comparison.address)
        )
    return tuple(reason for reason in found if reason)
