"""The seeded catalogue (DOMAIN.md §7, reference/domain-research.md §3) as pure data.

The database is seeded from a frozen copy of this data (migration 0004); after that the coordinator changes
values in the database, never here. ``default_catalogue()`` serves the engine's own tests and the benchmark, and a
test checks that a fresh database holds exactly this catalogue.
"""

from __future__ import annotations

import datetime as dt

from citemploi.schemes.engine.catalogue import Catalogue, ParameterValue, SchemeInfo
from citemploi.schemes.engine.profile import LOW_EDUCATION_CODES

D = dt.date

#: (code, name, valid_from, valid_to) in display order.
SCHEMES: tuple[tuple[str, str, dt.date | None, dt.date | None], ...] = (
    ("cej", "Contrat d'engagement jeune (CEJ)", D(2022, 3, 1), None),
    ("mission_locale", "Mission Locale (accompagnement)", None, None),
    ("iae", "Insertion par l'activité économique (PASS IAE)", None, None),
    ("pec", "Parcours emploi compétences (PEC, CUI-CAE)", D(2018, 1, 1), None),
    ("apprentissage", "Contrat d'apprentissage", None, None),
    ("contrat_pro", "Contrat de professionnalisation", None, None),
    ("e2c", "École de la 2e chance (E2C)", None, None),
    ("epide", "EPIDE", None, None),
    ("cap_emploi", "Cap emploi", None, None),
    ("poei", "Préparation opérationnelle à l'emploi individuelle (POEI)", None, None),
    ("afpr", "Action de formation préalable au recrutement (AFPR)", None, D(2024, 6, 19)),
    ("plie", "Plan local pour l'insertion et l'emploi (PLIE)", None, None),
    ("accompagnement_global", "Accompagnement global", None, None),
    ("vae", "Validation des acquis de l'expérience (VAE)", None, None),
    ("emplois_francs", "Emplois francs", D(2018, 4, 1), D(2024, 12, 31)),
    ("pacea", "Parcours contractualisé d'accompagnement vers l'emploi et l'autonomie (PACEA)", D(2017, 1, 1), None),
    ("rsa_orientation", "RSA : orientation et accompagnement (loi plein emploi)", D(2025, 1, 1), None),
    ("ft_accompagnement", "Accompagnement France Travail (modalités)", None, None),
    ("geiq", "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)", None, None),
    ("cdd_tremplin", "CDD Tremplin en entreprise adaptée", D(2019, 1, 1), None),
    ("poec", "Préparation opérationnelle à l'emploi collective (POEC)", None, None),
    ("pmsmp", "Période de mise en situation en milieu professionnel (PMSMP, immersion)", None, None),
    ("garantie_jeunes", "Garantie jeunes (historique)", D(2013, 10, 1), D(2022, 2, 28)),
    ("aij", "Accompagnement intensif des jeunes (AIJ, historique)", None, D(2022, 2, 28)),
)

CEJ = "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022"
IAE = (
    "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
    "les-emplois (gip-inclusion) itou/eligibility"
)
IAE_VALIDITY = "les-emplois (gip-inclusion) : itou/eligibility/models, itou/approvals/models"
PEC = "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023"
PEC_AID = "Arrêté du préfet de région Auvergne-Rhône-Alpes (taux de prise en charge) — valeurs à confirmer chaque année"
EF = "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024"
APP = "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)"
PRO = "Art. L.6325-1 C. trav."
E2C = "Art. L.214-14 code de l'éducation ; réseau E2C France"
EPIDE = "Art. L.130-1 code du service national (16 à 25 ans révolus) ; EPIDE (contrat de volontariat)"
CAP = "Art. L.5212-13 C. trav. (bénéficiaires de l'obligation d'emploi)"
POE = "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022"
POE_2024 = (
    "Décret n° 2024-561 du 18 juin 2024 (POEI) ; délibération France Travail n° 2024-30 (fin de l'AFPR) — "
    "⚠️ date d'effet (20 juin 2024) à confirmer"
)
CEJ_2022 = "Revalorisation de 4 % au 1er juillet 2022 (issue 11 ; ⚠️ montants calculés, texte à confirmer)"
CEJ_2023 = (
    "Revalorisation du 1er avril 2023 (décret n° 2022-199 : chaque 1er avril dès 2023) — ⚠️ montants calculés : "
    "montants du 1er avril 2024 divisés par le coefficient 1,046 de cette revalorisation (ash.tm.fr), texte à confirmer"
)
CEJ_2024 = (
    "France Travail, « L'allocation CEJ : les réponses à vos questions » (552,29 €, « montant au 1er avril 2024 ») ; "
    "mes-allocs.fr (552,29 € / 331,17 € / 220,92 €)"
)
CEJ_2025 = (
    "France Travail, fiche « Allocation CEJ » sur DORA (561,68 €, « montant au 1er avril 2025 ») ; unafo.org "
    "(561,68 € / 337 € / 224,68 €, soit +1,7 %)"
)
PACEA = "Art. L.5131-4 et R.5131-4 s. C. trav. (loi n° 2016-1088 du 8 août 2016), en vigueur le 1er janvier 2017"
RSA_FT = "Loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi (art. L.262-28 CASF) : 15 h d'activité, adaptables"
FT_MOD = (
    "France Travail : modalités suivi, guidé, renforcé, accompagnement global (lelabodescip.fr ; PRITH Pays de la "
    "Loire, 12 novembre 2025) — ⚠️ date de début non trouvée, 2015 retenu"
)
FT_INTENSIVE = (
    "Arrêté du 6 août 2025 (JO du 8 août 2025) : référentiel de l'accompagnement intensif (art. L.5411-6 C. trav., "
    "loi n° 2023-1196 pour le plein emploi ; Comité national pour l'emploi du 16 juillet 2025) ; le modèle à deux "
    "pôles « intensif / agile » est expérimenté (100 agences d'octobre 2024 à avril 2025, phase pilote dès novembre "
    "2025, bilan au 1er semestre 2026 avant généralisation : PRITH Pays de la Loire d'après AEF n° 739758) — sa "
    "généralisation n'est pas datée dans les sources : à saisir par la coordination quand elle est publiée"
)
GEIQ = "Art. L.1253-1 C. trav. (GEIQ) — ⚠️ liste réglementaire des publics à confirmer"
TREMPLIN = "Loi n° 2018-771 du 5 septembre 2018, art. 78 (expérimentation) — ⚠️ durée et date de fin à confirmer"
POEC = "Art. L.6326-3 C. trav. (loi n° 2011-893 du 28 juillet 2011)"
PMSMP = "Art. L.5135-1 à L.5135-8 et D.5135-1 s. C. trav. (loi n° 2014-288 du 5 mars 2014)"
GJ = "Décret n° 2013-880 du 1er octobre 2013 ; remplacée par le CEJ le 1er mars 2022 (domain-research §3.2)"
AIJ = "Pôle emploi, AIJ (domain-research §3.3) — ⚠️ date de début à confirmer ; intégrée au CEJ en 2022"
PLIE = (
    "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ 2021-2027"
)
ML = "Ordonnance n° 82-273 du 26 mars 1982 ; réseau des Missions Locales (16-25 ans)"
AG = "Protocole national ADF – Pôle emploi de 2014 (diagnostic partagé)"
VAE_2016 = "Loi n° 2016-1088 du 8 août 2016 (durée minimale ramenée de 3 ans à 1 an) — date d'effet à vérifier"
VAE_2024 = (
    "Loi n° 2022-1598 du 21 décembre 2022 ; décret n° 2023-1275 du 27 décembre 2023 (en vigueur le 1er janvier 2024)"
)
ASP = "Codes ASP ref_niveau_formation_v3 (les-emplois itou/asp/models.py)"

LOW_EDUCATION = list(LOW_EDUCATION_CODES)  # niveau 3 (CAP, BEP) ou infra: one definition (profile.py)
NO_QUALIFICATION = ["00", "01", "60", "70"]  # "sans qualification" in les-emplois' mapping
MINIMA = ["rsa", "ass", "aah"]

#: (scheme, key, value, valid_from, source); a later row for the same key closes the previous one.
PARAMETERS: tuple[tuple[str, str, object, dt.date, str], ...] = (
    ("cej", "age_min", 16, D(2022, 3, 1), CEJ),
    ("cej", "age_max", 25, D(2022, 3, 1), CEJ),
    ("cej", "age_max_rqth", 29, D(2022, 3, 1), CEJ),
    ("cej", "duration_months", 12, D(2022, 3, 1), CEJ),
    ("cej", "duration_max_months", 18, D(2022, 3, 1), CEJ),
    ("cej", "carence_months", 6, D(2022, 3, 1), "emploilr.com (délai de carence de 6 mois, réductible)"),
    ("cej", "weekly_hours_min", 15, D(2022, 3, 1), "La Gazette des communes 792706"),
    ("cej", "weekly_hours_max", 20, D(2022, 3, 1), "La Gazette des communes 792706"),
    ("cej", "allowance_adult_eur", 500, D(2022, 3, 1), CEJ + " (revalorisée chaque 1er avril)"),
    ("cej", "allowance_adult_taxable_eur", 300, D(2022, 3, 1), CEJ + " (revalorisée chaque 1er avril)"),
    ("cej", "allowance_minor_eur", 200, D(2022, 3, 1), CEJ + " (revalorisée chaque 1er avril)"),
    ("cej", "allowance_year", 2022, D(2022, 3, 1), CEJ + " (revalorisée chaque 1er avril)"),
    ("cej", "allowance_adult_eur", 520, D(2022, 7, 1), CEJ_2022),
    ("cej", "allowance_adult_taxable_eur", 312, D(2022, 7, 1), CEJ_2022),
    ("cej", "allowance_minor_eur", 208, D(2022, 7, 1), CEJ_2022),
    ("cej", "allowance_adult_eur", 528.0, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_adult_taxable_eur", 316.61, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_minor_eur", 211.2, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_year", 2023, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_adult_eur", 552.29, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_adult_taxable_eur", 331.17, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_minor_eur", 220.92, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_year", 2024, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_adult_eur", 561.68, D(2025, 4, 1), CEJ_2025),
    ("cej", "allowance_adult_taxable_eur", 337, D(2025, 4, 1), CEJ_2025),
    ("cej", "allowance_minor_eur", 224.68, D(2025, 4, 1), CEJ_2025),
    ("cej", "allowance_year", 2025, D(2025, 4, 1), CEJ_2025),
    ("mission_locale", "age_min", 16, D(1982, 3, 26), ML),
    ("mission_locale", "age_max", 25, D(1982, 3, 26), ML),
    ("iae", "level1_required", 1, D(2021, 12, 1), IAE),
    ("iae", "level2_required_aci_ei_eiti", 3, D(2021, 12, 1), IAE),
    ("iae", "level2_required_ai_etti", 2, D(2021, 12, 1), IAE),
    ("iae", "senior_age_min", 50, D(2021, 12, 1), IAE),
    ("iae", "young_age_max", 25, D(2021, 12, 1), IAE + " (« jeune de moins de 26 ans »)"),
    ("iae", "deld_months_min", 12, D(2021, 12, 1), IAE),
    ("iae", "detld_months_min", 24, D(2021, 12, 1), IAE),
    ("iae", "low_education_codes", LOW_EDUCATION, D(2021, 12, 1), IAE + " ; " + ASP),
    ("iae", "prescriber_diagnosis_validity_months", 6, D(2021, 12, 1), IAE_VALIDITY + " (EXPIRATION_DELAY_MONTHS)"),
    ("iae", "employer_diagnosis_validity_days", 92, D(2021, 12, 1), IAE_VALIDITY),
    ("iae", "pass_duration_months", 24, D(2021, 12, 1), IAE_VALIDITY + " (DEFAULT_APPROVAL_DAYS)"),
    ("iae", "waiting_period_months", 24, D(2021, 12, 1), IAE_VALIDITY + " (WAITING_PERIOD_YEARS)"),
    ("pec", "unemployed_categories", ["A"], D(2018, 1, 1), PEC + " (catégorie A : sans emploi)"),
    ("pec", "duration_min_months", 6, D(2018, 1, 1), PEC),
    ("pec", "duration_target_min_months", 9, D(2018, 1, 1), PEC),
    ("pec", "duration_target_max_months", 12, D(2018, 1, 1), PEC),
    ("pec", "cumulative_max_months", 24, D(2018, 1, 1), PEC),
    ("pec", "weekly_hours_min", 20, D(2018, 1, 1), PEC),
    ("pec", "weekly_hours_max", 26, D(2018, 1, 1), PEC),
    ("pec", "aid_rate_min_pct", 30, D(2018, 1, 1), PEC_AID),
    ("pec", "aid_rate_max_pct", 60, D(2018, 1, 1), PEC_AID),
    ("apprentissage", "age_min", 16, D(2019, 1, 1), APP),
    ("apprentissage", "age_min_after_3e", 15, D(2019, 1, 1), APP),
    ("apprentissage", "age_max", 29, D(2019, 1, 1), APP),
    ("apprentissage", "age_max_successive", 35, D(2019, 1, 1), APP),
    ("apprentissage", "duration_min_months", 6, D(2019, 1, 1), APP),
    ("apprentissage", "duration_max_months", 36, D(2019, 1, 1), APP),
    ("apprentissage", "duration_max_months_disabled", 48, D(2019, 1, 1), APP),
    ("contrat_pro", "age_min", 16, D(2004, 10, 1), PRO),
    ("contrat_pro", "age_max", 25, D(2004, 10, 1), PRO),
    ("contrat_pro", "job_seeker_age_min", 26, D(2004, 10, 1), PRO),
    ("e2c", "age_min", 16, D(2007, 3, 5), E2C),
    ("e2c", "age_max", 25, D(2007, 3, 5), E2C),
    ("e2c", "no_qualification_codes", NO_QUALIFICATION, D(2007, 3, 5), E2C + " ; " + ASP),
    ("e2c", "duration_min_months", 4, D(2007, 3, 5), E2C),
    ("e2c", "duration_max_months", 24, D(2007, 3, 5), E2C),
    ("epide", "age_min", 16, D(2005, 8, 2), EPIDE),
    ("epide", "age_max", 25, D(2005, 8, 2), EPIDE),
    ("epide", "no_qualification_codes", NO_QUALIFICATION, D(2005, 8, 2), EPIDE + " ; " + ASP),
    ("epide", "initial_contract_months", 8, D(2005, 8, 2), EPIDE),
    ("epide", "max_contract_months", 24, D(2005, 8, 2), EPIDE),
    ("cap_emploi", "boe_titles", ["rqth", "aah"], D(2005, 2, 11), CAP + " (titres connus de la fiche)"),
    ("poei", "promise_contracts", ["cdi", "cdd:12", "work_study:12"], D(2022, 6, 10), POE),
    (
        "poei",
        "promise_contracts",
        ["cdi", "cdd:6", "interim:6", "seasonal:4", "work_study:6"],
        D(2024, 6, 20),
        POE_2024,
    ),
    ("poei", "training_hours_max", 400, D(2022, 6, 10), POE),
    ("poei", "aid_internal_eur_per_hour", 5, D(2022, 6, 10), POE),
    ("poei", "aid_external_eur_per_hour", 8, D(2022, 6, 10), POE),
    ("afpr", "promise_contracts", ["cdd:6-11", "work_study:0-11", "interim:6"], D(2022, 6, 10), POE),
    ("afpr", "training_hours_max", 400, D(2022, 6, 10), POE),
    ("afpr", "aid_internal_eur_per_hour", 5, D(2022, 6, 10), POE),
    ("afpr", "aid_external_eur_per_hour", 8, D(2022, 6, 10), POE),
    ("plie", "age_min", "", D(2021, 1, 1), PLIE + " — âge non saisi : à vérifier jusqu'au protocole de la Métropole"),
    ("plie", "criteria", ["deld", "low_qualification", "minima_sociaux"], D(2021, 1, 1), PLIE),
    ("plie", "deld_months_min", 12, D(2021, 1, 1), PLIE),
    ("plie", "low_education_codes", LOW_EDUCATION, D(2021, 1, 1), PLIE + " ; " + ASP),
    ("plie", "duration_max_months", 36, D(2021, 1, 1), PLIE),
    ("plie", "follow_up_months", 6, D(2021, 1, 1), PLIE),
    ("plie", "caseload_max", 100, D(2021, 1, 1), PLIE + " (70 à Grenoble, 100 à Clermont)"),
    (
        "accompagnement_global",
        "social_difficulty_signals",
        ["rsa", "homeless", "single_parent", "mobility_problem", "french_below_a1", "justice", "ase_leaver", "refugee"],
        D(2014, 1, 1),
        AG,
    ),
    ("vae", "min_experience_months", 12, D(2016, 8, 10), VAE_2016),
    ("vae", "min_experience_months", 0, D(2024, 1, 1), VAE_2024),
    ("emplois_francs", "generalised_from", "2020-01-01", D(2018, 4, 1), EF),
    ("emplois_francs", "ml_age_max", 25, D(2018, 4, 1), EF),
    ("emplois_francs", "aid_cdi_eur_per_year", 5000, D(2018, 4, 1), EF),
    ("emplois_francs", "aid_cdi_years", 3, D(2018, 4, 1), EF),
    ("emplois_francs", "aid_cdd_eur_per_year", 2500, D(2018, 4, 1), EF),
    ("emplois_francs", "aid_cdd_years", 2, D(2018, 4, 1), EF),
    ("emplois_francs", "cdd_min_months", 6, D(2018, 4, 1), EF),
    ("pacea", "age_min", 16, D(2017, 1, 1), PACEA),
    ("pacea", "age_max", 25, D(2017, 1, 1), PACEA),
    ("pacea", "duration_max_months", 24, D(2017, 1, 1), PACEA),
    ("rsa_orientation", "weekly_hours_min", 15, D(2025, 1, 1), RSA_FT),
    ("ft_accompagnement", "modalities", ["suivi", "guidé", "renforcé", "accompagnement global"], D(2015, 1, 1), FT_MOD),
    (
        "ft_accompagnement",
        "modalities",
        ["suivi", "guidé", "renforcé", "accompagnement global", "accompagnement intensif (15 h par semaine)"],
        D(2025, 8, 9),
        FT_INTENSIVE,
    ),
    ("geiq", "low_education_codes", LOW_EDUCATION, D(2022, 1, 1), GEIQ + " ; " + ASP),
    ("cdd_tremplin", "duration_max_months", 24, D(2019, 1, 1), TREMPLIN),
    ("poec", "training_hours_max", 400, D(2011, 7, 28), POEC),
    ("pmsmp", "duration_max_days", 30, D(2014, 3, 5), PMSMP),
    ("garantie_jeunes", "age_min", 16, D(2013, 10, 1), GJ),
    ("garantie_jeunes", "age_max", 25, D(2013, 10, 1), GJ),
    ("aij", "age_min", 16, D(2014, 9, 1), AIJ),
    ("aij", "age_max", 25, D(2014, 9, 1), AIJ),
    ("aij", "age_max_rqth", 29, D(2014, 9, 1), AIJ),
)


def parameter_rows() -> list[ParameterValue]:
    """The seeded parameters with their ``valid_to`` (the day before the next value of the same key)."""
    rows = sorted(PARAMETERS, key=lambda r: (r[0], r[1], r[3]))
    out: list[ParameterValue] = []
    for index, (scheme, key, value, valid_from, _source) in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        same = following is not None and following[:2] == (scheme, key)
        valid_to = following[3] - dt.timedelta(days=1) if same and following else None
        out.append(ParameterValue(scheme, key, value, valid_from, valid_to))
    return out


def default_catalogue() -> Catalogue:
    return Catalogue.build(
        (SchemeInfo(code, name, start, end) for code, name, start, end in SCHEMES),
        parameter_rows(),
    )
