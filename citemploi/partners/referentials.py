"""Referentials of the offer, built from the pinned `data-inclusion-schema` package (never copied lists).

Each data·inclusion enum becomes a list of Django choices; labels are the package's French labels. When the
package is upgraded, the choices follow: values that disappear are reported as invalid by `offer import`.
"""

from __future__ import annotations

from enum import Enum

from data_inclusion.schema import v1


def _choices(enum: type[Enum]) -> list[tuple[str, str]]:
    return sorted(((member.value, member.label) for member in enum), key=lambda c: c[1])  # type: ignore[attr-defined]


THEMATIQUE_CHOICES = [(t.value, t.label) for t in v1.Thematique]
CATEGORIE_CHOICES = [(c.value, c.label) for c in v1.Categorie]
PUBLIC_CHOICES = _choices(v1.Public)
TYPE_SERVICE_CHOICES = _choices(v1.TypeService)
FRAIS_CHOICES = _choices(v1.Frais)
MODE_ACCUEIL_CHOICES = _choices(v1.ModeAccueil)
MODE_MOBILISATION_CHOICES = _choices(v1.ModeMobilisation)
MOBILISABLE_PAR_CHOICES = _choices(v1.PersonneMobilisatrice)
RESEAU_PORTEUR_CHOICES = _choices(v1.ReseauPorteur)

THEMATIQUE_LABELS = dict(THEMATIQUE_CHOICES)
CATEGORIE_LABELS = dict(CATEGORIE_CHOICES)
PUBLIC_LABELS = dict(PUBLIC_CHOICES)
RESEAU_LABELS = dict(RESEAU_PORTEUR_CHOICES)
TYPE_SERVICE_LABELS = dict(TYPE_SERVICE_CHOICES)


def categorie_of(thematique: str) -> str:
    """The category slug of a thématique (`mobilite--preparer-un-permis` → `mobilite`)."""
    return thematique.split("--", 1)[0]


def thematique_choices_grouped() -> list[tuple[str, list[tuple[str, str]]]]:
    """Thématiques grouped by category, for <optgroup> select widgets."""
    groups: dict[str, list[tuple[str, str]]] = {value: [] for value, _ in CATEGORIE_CHOICES}
    for value, label in THEMATIQUE_CHOICES:
        groups.setdefault(categorie_of(value), []).append((value, label))
    return [(CATEGORIE_LABELS.get(cat, cat), items) for cat, items in groups.items() if items]


def labels(values: list[str], mapping: dict[str, str]) -> list[str]:
    return [mapping.get(v, v) for v in values]
