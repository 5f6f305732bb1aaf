"""How parameters read in French (labels and units) and how their values are typed, for pages and forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from citemploi.schemes.engine.profile import EDUCATION_LEVELS

# key: (label, unit)
LABELS: dict[str, tuple[str, str]] = {
    "age_min": ("Âge minimum", "ans"),
    "age_max": ("Âge maximum (révolus)", "ans"),
    "age_max_rqth": ("Âge maximum avec une RQTH (révolus)", "ans"),
    "age_min_after_3e": ("Âge minimum après la classe de 3e", "ans"),
    "age_max_successive": ("Âge maximum pour un contrat successif", "ans"),
    "job_seeker_age_min": ("Âge minimum des demandeurs d'emploi", "ans"),
    "senior_age_min": ("Âge du critère « senior »", "ans"),
    "young_age_max": ("Âge maximum du critère « jeune » (révolus)", "ans"),
    "ml_age_max": ("Âge maximum des jeunes suivis par une Mission Locale", "ans"),
    "duration_months": ("Durée", "mois"),
    "duration_min_months": ("Durée minimale", "mois"),
    "duration_max_months": ("Durée maximale", "mois"),
    "duration_max_months_disabled": ("Durée maximale pour un travailleur handicapé", "mois"),
    "duration_target_min_months": ("Durée cible minimale", "mois"),
    "duration_target_max_months": ("Durée cible maximale", "mois"),
    "cumulative_max_months": ("Durée cumulée maximale", "mois"),
    "carence_months": ("Délai de carence avant une nouvelle entrée", "mois"),
    "initial_contract_months": ("Durée du contrat initial", "mois"),
    "max_contract_months": ("Durée totale maximale", "mois"),
    "follow_up_months": ("Suivi dans l'emploi", "mois"),
    "weekly_hours_min": ("Heures d'activité par semaine, minimum", "h"),
    "weekly_hours_max": ("Heures d'activité par semaine, maximum", "h"),
    "allowance_adult_eur": ("Allocation mensuelle, majeur d'un foyer non imposable", "€"),
    "allowance_adult_taxable_eur": ("Allocation mensuelle, majeur d'un foyer imposable (1re tranche)", "€"),
    "allowance_minor_eur": ("Allocation mensuelle, mineur", "€"),
    "allowance_year": ("Année de la revalorisation (1er avril) des montants saisis", ""),
    "level1_required": ("Critères de niveau 1 requis (auto-prescription)", ""),
    "level2_required_aci_ei_eiti": ("Critères de niveau 2 requis en ACI, EI, EITI", ""),
    "level2_required_ai_etti": ("Critères de niveau 2 requis en AI, ETTI", ""),
    "deld_months_min": ("Inscription minimale du chômage de longue durée (DELD)", "mois"),
    "detld_months_min": ("Inscription minimale du chômage de très longue durée (DETLD)", "mois"),
    "low_education_codes": ("Niveaux d'étude « CAP/BEP ou infra » (codes ASP)", ""),
    "no_qualification_codes": ("Niveaux d'étude « sans qualification » (codes ASP)", ""),
    "prescriber_diagnosis_validity_months": ("Validité du diagnostic d'un prescripteur", "mois"),
    "employer_diagnosis_validity_days": ("Validité du diagnostic d'un employeur", "jours"),
    "pass_duration_months": ("Durée du PASS IAE", "mois"),
    "waiting_period_months": ("Délai de carence après un PASS IAE", "mois"),
    "unemployed_categories": ("Catégories France Travail « sans emploi »", ""),
    "aid_rate_min_pct": ("Taux d'aide minimum (SMIC horaire brut)", "%"),
    "aid_rate_max_pct": ("Taux d'aide maximum (SMIC horaire brut)", "%"),
    "generalised_from": ("Généralisation à tous les QPV", "date"),
    "aid_cdi_eur_per_year": ("Aide pour un CDI, par an", "€"),
    "aid_cdi_years": ("Aide pour un CDI, nombre d'années", "ans"),
    "aid_cdd_eur_per_year": ("Aide pour un CDD, par an", "€"),
    "aid_cdd_years": ("Aide pour un CDD, nombre d'années", "ans"),
    "cdd_min_months": ("Durée minimale du CDD", "mois"),
    "boe_titles": ("Titres de bénéficiaire de l'obligation d'emploi lus dans la fiche", ""),
    "promise_contracts": ("Contrats promis admis", ""),
    "training_hours_max": ("Durée maximale de formation", "h"),
    "aid_internal_eur_per_hour": ("Aide pour une formation interne", "€/h"),
    "aid_external_eur_per_hour": ("Aide pour une formation externe", "€/h"),
    "criteria": ("Critères du public (deld, low_qualification, minima_sociaux)", ""),
    "caseload_max": ("Participants par référent, maximum", ""),
    "social_difficulty_signals": ("Signes de difficultés sociales lus dans la fiche", ""),
    "min_experience_months": ("Expérience minimale", "mois"),
    "modalities": ("Modalités d'accompagnement", ""),
    "duration_max_days": ("Durée maximale", "jours"),
}
_NUMBER_UNITS = {"ans", "mois", "h", "jours", ""}


def label(key: str) -> str:
    return LABELS.get(key, (key, ""))[0]


def display(key: str, value: Any) -> str:
    """A value as a French reader expects it: "25 ans", "CAP/BEP…" codes listed, "oui"/"non"."""
    unit = LABELS.get(key, (key, ""))[1]
    if value in ("", None):
        return "non saisi"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(f"{v} ({EDUCATION_LEVELS[v]})" if v in EDUCATION_LEVELS else str(v) for v in value)
    if unit == "date" and isinstance(value, str):
        return "/".join(reversed(value.split("-")))
    text = str(value).replace(".", ",") if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip() if unit else text


def parse_like(key: str, previous: Any, raw: str) -> Any:
    """Parse the text typed in the form into the type of the previous value (raises ValueError in French);
    amounts and rates also accept decimals ("552,29")."""
    raw = raw.strip()
    unit = LABELS.get(key, (key, ""))[1]
    if unit == "date":
        return _parse_date(raw)
    if unit in {"€", "%", "€/h"} and isinstance(previous, int) and ("," in raw or "." in raw):
        previous = float(previous)
    if previous in ("", None) and unit in _NUMBER_UNITS - {""}:
        previous = 0  # a parameter with no value yet (the PLIE's age): typed as a number
    return _parse_typed(previous, raw)


def _parse_date(raw: str) -> str:
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise ValueError("Une date au format AAAA-MM-JJ est attendue.") from None


def _parse_typed(previous: Any, raw: str) -> Any:
    if isinstance(previous, bool):
        if raw.lower() not in {"oui", "non", "true", "false"}:
            raise ValueError("Répondez « oui » ou « non ».")
        return raw.lower() in {"oui", "true"}
    if isinstance(previous, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError("Un nombre entier est attendu.") from None
    if isinstance(previous, float):
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            raise ValueError("Un nombre est attendu.") from None
    if isinstance(previous, list):
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if not items:
            raise ValueError("Au moins une valeur est attendue, séparées par des virgules.")
        return items
    if not raw:
        raise ValueError("Une valeur est attendue.")
    return raw
