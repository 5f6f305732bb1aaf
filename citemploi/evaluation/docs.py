"""docs/indicators.md is generated from the registry (``citemploi indicators docs``); a test fails when stale."""

from __future__ import annotations

from django.utils import translation

from citemploi.evaluation.breakdowns import BREAKDOWNS
from citemploi.evaluation.registry import COUNT, MEDIAN, indicators

KIND_LABELS = {COUNT: "comptage", "rate": "taux", MEDIAN: "médiane"}

HEADER = """# Indicateurs de l'évaluation

> Fichier **généré** depuis le registre (`citemploi/evaluation/registry.py` et `citemploi/evaluation/indicators/`)
> par `citemploi indicators docs` ; ne pas le modifier à la main (`tests/evaluation/test_docs.py` échoue sinon).

Une période P = [`from`, `to`], dates incluses. **L'entrée** d'une personne est la date de son premier contact
(passage de « repéré » à « contacté ») ; son **repérage**, la date de son premier repérage. Les durées en mois sont
des mois calendaires (entrée + 6 mois = même jour six mois plus tard, ou dernier jour du mois) ; les jours ouvrés
sont du lundi au vendredi (jours fériés non décomptés). Les chiffres utilisent tout ce qui est enregistré au moment
du calcul : quand une fenêtre dépasse `to`, les événements postérieurs comptent, et un taux dont la fenêtre n'est
pas close est affiché « provisoire ». Un taux vaut numérateur ÷ dénominateur arrondi à 4 décimales, `null` quand le
dénominateur est nul ; une médiane (au sens de `statistics.median`) est `null` sur un ensemble vide. Dans le JSON de
l'API et de la commande, un comptage a `numerator` = le compte et `denominator` nul ; une médiane a `numerator` = le
nombre de valeurs dont elle est la médiane.

## Ventilations

Chaque indicateur sur des personnes (ou sur leurs orientations, sorties, freins) se ventile par :

"""


def render() -> str:
    with translation.override("fr"):
        lines = [HEADER.rstrip("\n"), ""]
        for b in BREAKDOWNS.values():
            extra = " (groupes qui se recoupent ; RQTH pour la coordination seulement)" if b.groups else ""
            lines.append(f"- `{b.id}` — {b.label}{extra}")
        lines += ["", "## Indicateurs", ""]
        current = None
        for i in indicators():
            if i.contract != current:
                current = i.contract
                title = (
                    "Le tableau du contrat (CLI et API)"
                    if i.contract
                    else "Comptages de coordination et Réseau pour l'emploi"
                )
                lines += [f"### {title}", ""]
            lines.append(f"#### `{i.id}` — {i.label}")
            lines.append("")
            lines.append(f"- **Type** : {KIND_LABELS[i.kind]} ({i.unit})")
            lines.append(f"- **Définition** : {i.definition}")
            if i.window_end is not None:
                lines.append("- **Provisoire** tant que la fenêtre de la période n'est pas close.")
            breakdowns = ", ".join(f"`{b}`" for b in i.breakdowns) if i.person is not None else "aucune"
            lines.append(f"- **Ventilations** : {breakdowns}")
            if i.source:
                lines.append(f"- **Source** : {i.source}")
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"
