"""Seed the dated rule parameters (frozen copy of citemploi/schemes/engine/defaults.py at the time of writing).

Never rewritten: later changes of the rules are made by the coordinator in the application (dated, logged), or by a
new migration. A later row for the same scheme and key closes the previous one (valid_to = the day before).
"""

import datetime

from django.db import migrations

# (scheme, key, value, valid_from, source)
PARAMETERS = [
    (
        "cej",
        "age_min",
        16,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022",
    ),
    (
        "cej",
        "age_max",
        25,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022",
    ),
    (
        "cej",
        "age_max_rqth",
        29,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022",
    ),
    (
        "cej",
        "duration_months",
        12,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022",
    ),
    (
        "cej",
        "duration_max_months",
        18,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022",
    ),
    ("cej", "carence_months", 6, "2022-03-01", "emploilr.com (délai de carence de 6 mois, réductible)"),
    ("cej", "weekly_hours_min", 15, "2022-03-01", "La Gazette des communes 792706"),
    ("cej", "weekly_hours_max", 20, "2022-03-01", "La Gazette des communes 792706"),
    (
        "cej",
        "allowance_adult_eur",
        500,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022 (revalorisée chaque 1er "
        "avril)",
    ),
    (
        "cej",
        "allowance_adult_taxable_eur",
        300,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022 (revalorisée chaque 1er "
        "avril)",
    ),
    (
        "cej",
        "allowance_minor_eur",
        200,
        "2022-03-01",
        "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022 (revalorisée chaque 1er "
        "avril)",
    ),
    (
        "mission_locale",
        "age_min",
        16,
        "1982-03-26",
        "Ordonnance n° 82-273 du 26 mars 1982 ; réseau des Missions Locales (16-25 ans)",
    ),
    (
        "mission_locale",
        "age_max",
        25,
        "1982-03-26",
        "Ordonnance n° 82-273 du 26 mars 1982 ; réseau des Missions Locales (16-25 ans)",
    ),
    (
        "iae",
        "level1_required",
        1,
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility",
    ),
    (
        "iae",
        "level2_required_aci_ei_eiti",
        3,
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility",
    ),
    (
        "iae",
        "level2_required_ai_etti",
        2,
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility",
    ),
    (
        "iae",
        "senior_age_min",
        50,
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility",
    ),
    (
        "iae",
        "young_age_max",
        25,
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility (« jeune de moins de 26 ans »)",
    ),
    (
        "iae",
        "deld_months_min",
        12,
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility",
    ),
    (
        "iae",
        "detld_months_min",
        24,
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility",
    ),
    (
        "iae",
        "low_education_codes",
        ["00", "01", "50", "51", "60", "70"],
        "2021-12-01",
        "Loi n° 2020-1577 du 14 décembre 2020 ; décret n° 2021-1128 du 30 août 2021 ; arrêté du 1er septembre 2021 ; "
        "les-emplois (gip-inclusion) itou/eligibility ; Codes ASP ref_niveau_formation_v3 (les-emplois "
        "itou/asp/models.py)",
    ),
    (
        "iae",
        "prescriber_diagnosis_validity_months",
        6,
        "2021-12-01",
        "les-emplois (gip-inclusion) : itou/eligibility/models, itou/approvals/models (EXPIRATION_DELAY_MONTHS)",
    ),
    (
        "iae",
        "employer_diagnosis_validity_days",
        92,
        "2021-12-01",
        "les-emplois (gip-inclusion) : itou/eligibility/models, itou/approvals/models",
    ),
    (
        "iae",
        "pass_duration_months",
        24,
        "2021-12-01",
        "les-emplois (gip-inclusion) : itou/eligibility/models, itou/approvals/models (DEFAULT_APPROVAL_DAYS)",
    ),
    (
        "iae",
        "waiting_period_months",
        24,
        "2021-12-01",
        "les-emplois (gip-inclusion) : itou/eligibility/models, itou/approvals/models (WAITING_PERIOD_YEARS)",
    ),
    (
        "pec",
        "unemployed_categories",
        ["A"],
        "2018-01-01",
        "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023 (catégorie A : sans "
        "emploi)",
    ),
    (
        "pec",
        "duration_min_months",
        6,
        "2018-01-01",
        "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023",
    ),
    (
        "pec",
        "duration_target_min_months",
        9,
        "2018-01-01",
        "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023",
    ),
    (
        "pec",
        "duration_target_max_months",
        12,
        "2018-01-01",
        "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023",
    ),
    (
        "pec",
        "cumulative_max_months",
        24,
        "2018-01-01",
        "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023",
    ),
    (
        "pec",
        "weekly_hours_min",
        20,
        "2018-01-01",
        "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023",
    ),
    (
        "pec",
        "weekly_hours_max",
        26,
        "2018-01-01",
        "Art. L.5134-20 C. trav. ; circulaire PEC ; DREETS PACA et PMAE Auvergne-Rhône-Alpes 2023",
    ),
    (
        "pec",
        "aid_rate_min_pct",
        30,
        "2018-01-01",
        "Arrêté du préfet de région Auvergne-Rhône-Alpes (taux de prise en charge) — valeurs à confirmer chaque année",
    ),
    (
        "pec",
        "aid_rate_max_pct",
        60,
        "2018-01-01",
        "Arrêté du préfet de région Auvergne-Rhône-Alpes (taux de prise en charge) — valeurs à confirmer chaque année",
    ),
    (
        "apprentissage",
        "age_min",
        16,
        "2019-01-01",
        "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)",
    ),
    (
        "apprentissage",
        "age_min_after_3e",
        15,
        "2019-01-01",
        "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)",
    ),
    (
        "apprentissage",
        "age_max",
        29,
        "2019-01-01",
        "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)",
    ),
    (
        "apprentissage",
        "age_max_successive",
        35,
        "2019-01-01",
        "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)",
    ),
    (
        "apprentissage",
        "duration_min_months",
        6,
        "2019-01-01",
        "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)",
    ),
    (
        "apprentissage",
        "duration_max_months",
        36,
        "2019-01-01",
        "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)",
    ),
    (
        "apprentissage",
        "duration_max_months_disabled",
        48,
        "2019-01-01",
        "Art. L.6222-1 et L.6222-2 C. trav. (loi n° 2018-771 du 5 septembre 2018)",
    ),
    ("contrat_pro", "age_min", 16, "2004-10-01", "Art. L.6325-1 C. trav."),
    ("contrat_pro", "age_max", 25, "2004-10-01", "Art. L.6325-1 C. trav."),
    ("contrat_pro", "job_seeker_age_min", 26, "2004-10-01", "Art. L.6325-1 C. trav."),
    ("e2c", "age_min", 16, "2007-03-05", "Art. L.214-14 code de l'éducation ; réseau E2C France"),
    ("e2c", "age_max", 25, "2007-03-05", "Art. L.214-14 code de l'éducation ; réseau E2C France"),
    (
        "e2c",
        "no_qualification_codes",
        ["00", "01", "60", "70"],
        "2007-03-05",
        "Art. L.214-14 code de l'éducation ; réseau E2C France ; Codes ASP ref_niveau_formation_v3 (les-emplois "
        "itou/asp/models.py)",
    ),
    ("e2c", "duration_min_months", 4, "2007-03-05", "Art. L.214-14 code de l'éducation ; réseau E2C France"),
    ("e2c", "duration_max_months", 24, "2007-03-05", "Art. L.214-14 code de l'éducation ; réseau E2C France"),
    ("epide", "age_min", 17, "2005-08-02", "EPIDE (sources divergentes : 17 ou 18 à 25 ans) ⚠️ à vérifier"),
    ("epide", "age_max", 25, "2005-08-02", "EPIDE (sources divergentes : 17 ou 18 à 25 ans) ⚠️ à vérifier"),
    (
        "epide",
        "no_qualification_codes",
        ["00", "01", "60", "70"],
        "2005-08-02",
        "EPIDE (sources divergentes : 17 ou 18 à 25 ans) ⚠️ à vérifier ; Codes ASP ref_niveau_formation_v3 (les-emplois "
        "itou/asp/models.py)",
    ),
    (
        "epide",
        "initial_contract_months",
        8,
        "2005-08-02",
        "EPIDE (sources divergentes : 17 ou 18 à 25 ans) ⚠️ à vérifier",
    ),
    ("epide", "max_contract_months", 24, "2005-08-02", "EPIDE (sources divergentes : 17 ou 18 à 25 ans) ⚠️ à vérifier"),
    (
        "cap_emploi",
        "boe_titles",
        ["rqth", "aah"],
        "2005-02-11",
        "Art. L.5212-13 C. trav. (bénéficiaires de l'obligation d'emploi) (titres connus de la fiche)",
    ),
    (
        "poei",
        "promise_contracts",
        ["cdi", "cdd_12m_plus"],
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "poei",
        "training_hours_max",
        400,
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "poei",
        "aid_internal_eur_per_hour",
        5,
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "poei",
        "aid_external_eur_per_hour",
        8,
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "afpr",
        "promise_contracts",
        ["cdd_6_12m", "interim_6m_plus"],
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "afpr",
        "training_hours_max",
        400,
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "afpr",
        "aid_internal_eur_per_hour",
        5,
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "afpr",
        "aid_external_eur_per_hour",
        8,
        "2022-06-10",
        "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022",
    ),
    (
        "plie",
        "age_min",
        26,
        "2021-01-01",
        "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ "
        "2021-2027",
    ),
    (
        "plie",
        "criteria",
        ["deld", "low_qualification", "minima_sociaux"],
        "2021-01-01",
        "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ "
        "2021-2027",
    ),
    (
        "plie",
        "deld_months_min",
        12,
        "2021-01-01",
        "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ "
        "2021-2027",
    ),
    (
        "plie",
        "low_education_codes",
        ["00", "01", "50", "51", "60", "70"],
        "2021-01-01",
        "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ "
        "2021-2027 ; Codes ASP ref_niveau_formation_v3 (les-emplois itou/asp/models.py)",
    ),
    (
        "plie",
        "duration_max_months",
        36,
        "2021-01-01",
        "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ "
        "2021-2027",
    ),
    (
        "plie",
        "follow_up_months",
        6,
        "2021-01-01",
        "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ "
        "2021-2027",
    ),
    (
        "plie",
        "caseload_max",
        100,
        "2021-01-01",
        "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ "
        "2021-2027 (70 à Grenoble, 100 à Clermont)",
    ),
    (
        "accompagnement_global",
        "social_difficulty_signals",
        ["rsa", "homeless", "single_parent", "mobility_problem", "french_below_a1", "justice", "ase_leaver", "refugee"],
        "2014-01-01",
        "Protocole national ADF – Pôle emploi de 2014 (diagnostic partagé)",
    ),
    (
        "vae",
        "min_experience_months",
        12,
        "2016-08-10",
        "Loi n° 2016-1088 du 8 août 2016 (durée minimale ramenée de 3 ans à 1 an) — date d'effet à vérifier",
    ),
    (
        "vae",
        "min_experience_months",
        0,
        "2024-01-01",
        "Loi n° 2022-1598 du 21 décembre 2022 ; décret n° 2023-1275 du 27 décembre 2023 (en vigueur le 1er janvier "
        "2024)",
    ),
    (
        "emplois_francs",
        "generalised_from",
        "2020-01-01",
        "2018-04-01",
        "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024",
    ),
    (
        "emplois_francs",
        "ml_age_max",
        25,
        "2018-04-01",
        "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024",
    ),
    (
        "emplois_francs",
        "aid_cdi_eur_per_year",
        5000,
        "2018-04-01",
        "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024",
    ),
    (
        "emplois_francs",
        "aid_cdi_years",
        3,
        "2018-04-01",
        "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024",
    ),
    (
        "emplois_francs",
        "aid_cdd_eur_per_year",
        2500,
        "2018-04-01",
        "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024",
    ),
    (
        "emplois_francs",
        "aid_cdd_years",
        2,
        "2018-04-01",
        "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024",
    ),
    (
        "emplois_francs",
        "cdd_min_months",
        6,
        "2018-04-01",
        "Décret n° 2019-1471 du 26 décembre 2019 ; UNEC (septembre 2024) : fin au 31 décembre 2024",
    ),
]


def seed(apps, schema_editor):
    Scheme = apps.get_model("schemes", "Scheme")
    SchemeParameter = apps.get_model("schemes", "SchemeParameter")
    schemes = {s.code: s for s in Scheme.objects.all()}
    rows = sorted(PARAMETERS, key=lambda r: (r[0], r[1], r[3]))
    for index, (code, key, value, valid_from, source) in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        valid_to = None
        if following is not None and following[:2] == (code, key):
            valid_to = datetime.date.fromisoformat(following[3]) - datetime.timedelta(days=1)
        SchemeParameter.objects.update_or_create(
            scheme=schemes[code],
            key=key,
            valid_from=datetime.date.fromisoformat(valid_from),
            defaults={"value": value, "valid_to": valid_to, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("schemes", "0003_catalogue_parameters_veille")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
