"""Droit commun rules as the law stands in late 2026 (issue 11 §3, §6, §7): a frozen copy of the changes made to
citemploi/schemes/engine/defaults.py at the time of writing (sources in docs/eligibility.md).

- New schemes: PACEA, RSA orientation, France Travail support modalities, GEIQ, CDD Tremplin, POEC, PMSMP, and the
  historical Garantie jeunes and AIJ (closed on 28 February 2022).
- AFPR closed after 19 June 2024 (POEI reform, décret n° 2024-561; France Travail deliberation n° 2024-30).
- Corrections of seeded values (in place, only where no coordinator changed them): EPIDE from 16 years
  (art. L.130-1 code du service national); « CAP/BEP ou infra » = ASP codes 00, 01, 50, 51, 70 (not 60); the PLIE
  age condition has no default any more (« non saisi »: to check until the Métropole's protocol is entered);
  the promised contracts of the POEI and AFPR use the "kind:months" form.
- Dated parameters added: POEI contracts from 20 June 2024, CEJ allowance revaluations (1 July 2022, 1 April 2024,
  1 April 2025), parameters of the new schemes. A later row for the same key closes the previous one.
"""

import datetime

from django.db import migrations

D = datetime.date
FT, ML, CAP, DEP = "france_travail", "mission_locale", "cap_emploi", "departement"

SCHEMES = [
    {
        "code": "pacea",
        "name": "Parcours contractualisé d'accompagnement vers l'emploi et l'autonomie (PACEA)",
        "operators": [ML],
        "description": "Cadre contractuel de l'accompagnement des jeunes de 16 à 25 ans par la Mission Locale, "
        "avec une allocation possible ; le CEJ en est une modalité.",
        "official_url": "https://www.service-public.fr/particuliers/vosdroits/F34043",
        "valid_from": D(2017, 1, 1),
    },
    {
        "code": "rsa_orientation",
        "name": "RSA : orientation et accompagnement (loi plein emploi)",
        "operators": [DEP, FT, ML, CAP],
        "description": "Depuis le 1er janvier 2025, les demandeurs et bénéficiaires du RSA sont inscrits à France "
        "Travail (catégorie G jusqu'à l'orientation) et orientés vers un parcours social, socio-professionnel ou "
        "professionnel, avec un organisme référent et un contrat d'engagement.",
        "official_url": "https://www.service-public.fr/particuliers/vosdroits/F19778",
        "valid_from": D(2025, 1, 1),
    },
    {
        "code": "ft_accompagnement",
        "name": "Accompagnement France Travail (modalités)",
        "operators": [FT],
        "description": "Modalités de l'accompagnement des demandeurs d'emploi par France Travail (paramètre daté ; "
        "le nouveau modèle est à confirmer).",
        "official_url": "https://www.francetravail.fr/",
    },
    {
        "code": "geiq",
        "name": "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)",
        "operators": ["geiq"],
        "description": "Recrutement de personnes éloignées de l'emploi en contrat de professionnalisation ou "
        "d'apprentissage, avec un accompagnement social et professionnel.",
        "official_url": "https://www.lesgeiq.fr/",
    },
    {
        "code": "cdd_tremplin",
        "name": "CDD Tremplin en entreprise adaptée",
        "operators": ["employer", CAP, FT],
        "description": "CDD de 4 à 24 mois en entreprise adaptée pour un bénéficiaire de l'obligation d'emploi sans "
        "emploi, pour préparer une embauche dans une autre entreprise (expérimentation).",
        "official_url": "https://travail-emploi.gouv.fr/",
        "valid_from": D(2019, 1, 1),
    },
    {
        "code": "poec",
        "name": "Préparation opérationnelle à l'emploi collective (POEC)",
        "operators": [FT, "training_body"],
        "description": "Formation collective de 400 heures au plus financée par un OPCO, pour des demandeurs "
        "d'emploi, vers des métiers qui recrutent.",
        "official_url": "https://www.francetravail.fr/",
    },
    {
        "code": "pmsmp",
        "name": "Période de mise en situation en milieu professionnel (PMSMP, immersion)",
        "operators": [FT, ML, CAP, "siae_aci", "siae_ai", "siae_ei", "siae_etti", "siae_eiti", "plie"],
        "description": "Immersion en entreprise d'un mois au plus, renouvelable une fois, sur prescription, pour "
        "découvrir un métier, confirmer un projet ou engager un recrutement.",
        "official_url": "https://immersion-facile.beta.gouv.fr/",
    },
    {
        "code": "garantie_jeunes",
        "name": "Garantie jeunes (historique)",
        "operators": [ML],
        "description": "Accompagnement intensif des 16-25 ans par la Mission Locale avec une allocation, remplacé "
        "par le CEJ le 1er mars 2022 (valeur historique).",
        "valid_from": D(2013, 10, 1),
        "valid_to": D(2022, 2, 28),
    },
    {
        "code": "aij",
        "name": "Accompagnement intensif des jeunes (AIJ, historique)",
        "operators": [FT],
        "description": "Accompagnement intensif des jeunes demandeurs d'emploi par Pôle emploi, intégré au CEJ en "
        "2022 (valeur historique).",
        "valid_to": D(2022, 2, 28),
    },
]

POE = "Instruction France Travail (Pôle emploi) n° 2022-12 du 10 juin 2022"
POE_2024 = (
    "Décret n° 2024-561 du 18 juin 2024 (POEI) ; délibération France Travail n° 2024-30 (fin de l'AFPR) — "
    "⚠️ date d'effet (20 juin 2024) à confirmer"
)
CEJ_2022 = "Revalorisation de 4 % au 1er juillet 2022 (issue 11 ; ⚠️ montants calculés, texte à confirmer)"
CEJ_2024 = (
    "mes-allocs.fr (montant CEJ : 552,29 € / 331,17 € / 220,92 €) — ⚠️ date d'effet (1er avril 2024) déduite, à confirmer"
)
CEJ_2025 = (
    "unafo.org, guide pauvreté (561,68 € / 337 € / 224,68 €, soit +1,7 %) — ⚠️ date d'effet (1er avril 2025) "
    "déduite, à confirmer"
)
PACEA = "Art. L.5131-4 et R.5131-4 s. C. trav. (loi n° 2016-1088 du 8 août 2016), en vigueur le 1er janvier 2017"
RSA_FT = "Loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi (art. L.262-28 CASF) : 15 h d'activité, adaptables"
FT_MOD = (
    "France Travail : modalités suivi, guidé, renforcé, accompagnement global — ⚠️ date d'effet et nouveau modèle "
    "à confirmer (non trouvés dans les sources)"
)
ASP = "Codes ASP ref_niveau_formation_v3 (les-emplois itou/asp/models.py)"
GEIQ = "Art. L.1253-1 C. trav. (GEIQ) — ⚠️ liste réglementaire des publics à confirmer"
TREMPLIN = "Loi n° 2018-771 du 5 septembre 2018, art. 78 (expérimentation) — ⚠️ durée et date de fin à confirmer"
POEC = "Art. L.6326-3 C. trav. (loi n° 2011-893 du 28 juillet 2011)"
PMSMP = "Art. L.5135-1 à L.5135-8 et D.5135-1 s. C. trav. (loi n° 2014-288 du 5 mars 2014)"
GJ = "Décret n° 2013-880 du 1er octobre 2013 ; remplacée par le CEJ le 1er mars 2022 (domain-research §3.2)"
AIJ = "Pôle emploi, AIJ (domain-research §3.3) — ⚠️ date de début à confirmer ; intégrée au CEJ en 2022"
EPIDE = "Art. L.130-1 code du service national (16 à 25 ans révolus) ; EPIDE (contrat de volontariat)"
PLIE = (
    "Protocole local par défaut (protocole de SEM non trouvé) : PLIE de Toulouse, Grenoble, Clermont ; FSE+ 2021-2027"
)
LOW_EDUCATION = ["00", "01", "50", "51", "70"]
OLD_LOW_EDUCATION = ["00", "01", "50", "51", "60", "70"]

# (scheme, key, valid_from, old value, new value, new source or None to keep it): corrections in place.
CORRECTIONS = [
    ("epide", "age_min", D(2005, 8, 2), 17, 16, None),
    ("iae", "low_education_codes", D(2021, 12, 1), OLD_LOW_EDUCATION, LOW_EDUCATION, None),
    ("plie", "low_education_codes", D(2021, 1, 1), OLD_LOW_EDUCATION, LOW_EDUCATION, None),
    (
        "plie",
        "age_min",
        D(2021, 1, 1),
        26,
        "",
        PLIE + " — âge non saisi : à vérifier jusqu'au protocole de la Métropole",
    ),
    ("poei", "promise_contracts", D(2022, 6, 10), ["cdi", "cdd_12m_plus"], ["cdi", "cdd:12", "work_study:12"], None),
    (
        "afpr",
        "promise_contracts",
        D(2022, 6, 10),
        ["cdd_6_12m", "interim_6m_plus"],
        ["cdd:6-11", "work_study:0-11", "interim:6"],
        None,
    ),
]
CORRECTED_SOURCES = {("epide", key): EPIDE for key in ("age_min", "age_max", "initial_contract_months")} | {
    ("epide", "max_contract_months"): EPIDE,
    ("epide", "no_qualification_codes"): EPIDE + " ; " + ASP,
}

# (scheme, key, value, valid_from, source): new rows.
ADDED = [
    ("poei", "promise_contracts", ["cdi", "cdd:6", "interim:6", "seasonal:4", "work_study:6"], D(2024, 6, 20), POE_2024),
    ("cej", "allowance_adult_eur", 520, D(2022, 7, 1), CEJ_2022),
    ("cej", "allowance_adult_taxable_eur", 312, D(2022, 7, 1), CEJ_2022),
    ("cej", "allowance_minor_eur", 208, D(2022, 7, 1), CEJ_2022),
    ("cej", "allowance_adult_eur", 552.29, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_adult_taxable_eur", 331.17, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_minor_eur", 220.92, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_adult_eur", 561.68, D(2025, 4, 1), CEJ_2025),
    ("cej", "allowance_adult_taxable_eur", 337, D(2025, 4, 1), CEJ_2025),
    ("cej", "allowance_minor_eur", 224.68, D(2025, 4, 1), CEJ_2025),
    ("pacea", "age_min", 16, D(2017, 1, 1), PACEA),
    ("pacea", "age_max", 25, D(2017, 1, 1), PACEA),
    ("pacea", "duration_max_months", 24, D(2017, 1, 1), PACEA),
    ("rsa_orientation", "weekly_hours_min", 15, D(2025, 1, 1), RSA_FT),
    ("ft_accompagnement", "modalities", ["suivi", "guidé", "renforcé", "accompagnement global"], D(2015, 1, 1), FT_MOD),
    ("geiq", "low_education_codes", LOW_EDUCATION, D(2022, 1, 1), GEIQ + " ; " + ASP),
    ("cdd_tremplin", "duration_max_months", 24, D(2019, 1, 1), TREMPLIN),
    ("poec", "training_hours_max", 400, D(2011, 7, 28), POEC),
    ("pmsmp", "duration_max_days", 30, D(2014, 3, 5), PMSMP),
    ("garantie_jeunes", "age_min", 16, D(2013, 10, 1), GJ),
    ("garantie_jeunes", "age_max", 25, D(2013, 10, 1), GJ),
    ("aij", "age_min", 16, D(2014, 9, 1), AIJ),
    ("aij", "age_max", 25, D(2014, 9, 1), AIJ),
    ("aij", "age_max_rqth", 29, D(2014, 9, 1), AIJ),
]


def _close_chains(SchemeParameter, keys):
    """valid_to of each row = the day before the next row of the same scheme and key (the last one stays open)."""
    for scheme_id, key in keys:
        rows = list(SchemeParameter.objects.filter(scheme_id=scheme_id, key=key).order_by("valid_from"))
        for row, following in zip(rows, [*rows[1:], None], strict=True):
            valid_to = following.valid_from - datetime.timedelta(days=1) if following is not None else None
            if row.valid_to != valid_to:
                row.valid_to = valid_to
                row.save(update_fields=["valid_to"])


def forward(apps, schema_editor):
    Scheme = apps.get_model("schemes", "Scheme")
    SchemeParameter = apps.get_model("schemes", "SchemeParameter")
    for data in SCHEMES:
        data = dict(data)
        Scheme.objects.get_or_create(code=data.pop("code"), defaults=data)
    Scheme.objects.filter(code="afpr", valid_to__isnull=True).update(valid_to=D(2024, 6, 19))
    Scheme.objects.filter(code="epide").update(
        description="Contrat de volontariat pour l'insertion, en internat, pour les jeunes de 16 à 25 ans révolus "
        "rencontrant des difficultés sociales et professionnelles (art. L.130-1 code du service national) ; "
        "priorité aux jeunes sans diplôme ou peu qualifiés."
    )
    Scheme.objects.filter(code="poei").update(
        description="Formation de 400 heures au plus avant une embauche, pour un demandeur d'emploi inscrit à "
        "France Travail : depuis juin 2024, CDI, CDD ou alternance d'au moins 6 mois, intérim d'au moins 6 mois sur "
        "9 mois, contrat saisonnier d'au moins 4 mois."
    )
    schemes = {s.code: s for s in Scheme.objects.all()}
    touched = set()
    for code, key, valid_from, old, new, source in CORRECTIONS:
        row = SchemeParameter.objects.filter(
            scheme=schemes[code], key=key, valid_from=valid_from, changed_by__isnull=True
        ).first()
        if row is not None and row.value == old:
            row.value = new
            if source:
                row.source = source
            row.save(update_fields=["value", "source"])
    for (code, key), source in CORRECTED_SOURCES.items():
        SchemeParameter.objects.filter(scheme=schemes[code], key=key, changed_by__isnull=True).update(source=source)
    for code, key, value, valid_from, source in ADDED:
        SchemeParameter.objects.get_or_create(
            scheme=schemes[code], key=key, valid_from=valid_from, defaults={"value": value, "source": source}
        )
        touched.add((schemes[code].pk, key))
    _close_chains(SchemeParameter, touched)


class Migration(migrations.Migration):
    dependencies = [("schemes", "0005_veille_feed_key")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
