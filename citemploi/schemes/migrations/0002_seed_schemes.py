"""Seed the 15 droit commun schemes of DOMAIN.md §7 (data only; never rewritten — later changes go in new migrations)."""

import datetime

from django.db import migrations

FT = "france_travail"
ML = "mission_locale"
CAP = "cap_emploi"
DEP = "departement"
SIAE = ["siae_ai", "siae_aci", "siae_ei", "siae_etti", "siae_eiti"]

SCHEMES = [
    {
        "code": "cej",
        "name": "Contrat d'engagement jeune (CEJ)",
        "operators": [ML, FT],
        "description": "Accompagnement intensif de 15 à 20 heures par semaine pour les jeunes de 16 à 25 ans révolus "
        "(29 ans révolus avec une RQTH) éloignés de l'emploi durable, ni étudiants ni en formation, avec une "
        "allocation. Durée de 12 mois, portée à 18 mois au plus.",
        "official_url": "https://www.1jeune1solution.gouv.fr/contrat-engagement-jeune",
        "valid_from": datetime.date(2022, 3, 1),
    },
    {
        "code": "iae",
        "name": "Insertion par l'activité économique (PASS IAE)",
        "operators": [FT, ML, CAP, DEP, "plie", "ccas", *SIAE],
        "description": "Contrat dans une structure d'insertion (AI, ACI, EI, ETTI, EITI) après un diagnostic "
        "d'éligibilité : par un prescripteur habilité sans critère exigé, ou directement par la SIAE selon les "
        "critères administratifs de niveau 1 et 2. PASS IAE de 24 mois.",
        "official_url": "https://emplois.inclusion.beta.gouv.fr/",
    },
    {
        "code": "pec",
        "name": "Parcours emploi compétences (PEC, CUI-CAE)",
        "operators": [FT, ML, CAP, DEP],
        "description": "Contrat aidé du secteur non marchand pour les personnes sans emploi rencontrant des "
        "difficultés sociales et professionnelles, prescrit après un diagnostic ; priorité aux résidents des QPV "
        "et aux personnes ayant une RQTH. 6 mois minimum, 24 mois cumulés au plus.",
        "official_url": "https://travail-emploi.gouv.fr/parcours-emploi-competences-pec",
        "valid_from": datetime.date(2018, 1, 1),
    },
    {
        "code": "emplois_francs",
        "name": "Emplois francs",
        "operators": [FT],
        "description": "Aide à l'employeur privé qui embauche un demandeur d'emploi résidant en QPV. Dispositif "
        "fermé : aucune embauche n'est possible après le 31 décembre 2024.",
        "official_url": "https://travail-emploi.gouv.fr/emplois-francs",
        "valid_from": datetime.date(2018, 4, 1),
        "valid_to": datetime.date(2024, 12, 31),
    },
    {
        "code": "apprentissage",
        "name": "Contrat d'apprentissage",
        "operators": [FT, ML, "training_body", "employer"],
        "description": "Contrat de travail en alternance pour les 16 à 29 ans révolus au début du contrat "
        "(15 ans après la classe de 3e), sans limite d'âge avec une RQTH ou un projet de création d'entreprise.",
        "official_url": "https://www.service-public.fr/particuliers/vosdroits/F2918",
    },
    {
        "code": "contrat_pro",
        "name": "Contrat de professionnalisation",
        "operators": [FT, ML, "training_body", "employer", "geiq"],
        "description": "Contrat en alternance pour les 16 à 25 ans révolus, les demandeurs d'emploi de 26 ans et "
        "plus et les bénéficiaires du RSA, de l'ASS ou de l'AAH.",
        "official_url": "https://www.service-public.fr/particuliers/vosdroits/F15478",
    },
    {
        "code": "e2c",
        "name": "École de la 2e chance (E2C)",
        "operators": ["e2c"],
        "description": "Parcours de 4 mois à 2 ans pour les jeunes de 16 à 25 ans sortis du système scolaire "
        "sans qualification.",
        "official_url": "https://reseau-e2c.fr/",
    },
    {
        "code": "epide",
        "name": "EPIDE",
        "operators": ["epide"],
        "description": "Contrat de volontariat pour l'insertion en internat pour les jeunes sans diplôme ; tranche "
        "d'âge paramétrable (les sources varient entre 17 et 18 ans au minimum, 25 ans au maximum).",
        "official_url": "https://www.epide.fr/",
    },
    {
        "code": "cap_emploi",
        "name": "Cap emploi",
        "operators": [CAP],
        "description": "Accompagnement vers l'emploi des bénéficiaires de l'obligation d'emploi des travailleurs "
        "handicapés (art. L.5212-13 du code du travail : RQTH, AAH, pension d'invalidité, rente AT/MP…).",
        "official_url": "https://www.capemploi.info/",
    },
    {
        "code": "poei",
        "name": "Préparation opérationnelle à l'emploi individuelle (POEI)",
        "operators": [FT],
        "description": "Formation de 400 heures au plus avant une embauche en CDI ou en CDD d'au moins 12 mois, "
        "pour un demandeur d'emploi inscrit à France Travail.",
        "official_url": "https://www.francetravail.fr/",
    },
    {
        "code": "afpr",
        "name": "Action de formation préalable au recrutement (AFPR)",
        "operators": [FT],
        "description": "Formation de 400 heures au plus avant une embauche en CDD de 6 à moins de 12 mois ou des "
        "missions d'intérim d'au moins 6 mois, pour un demandeur d'emploi inscrit à France Travail.",
        "official_url": "https://www.francetravail.fr/",
    },
    {
        "code": "plie",
        "name": "Plan local pour l'insertion et l'emploi (PLIE)",
        "operators": ["plie"],
        "description": "Protocole local : accompagnement renforcé de 36 mois au plus des adultes éloignés de "
        "l'emploi (chômage de longue durée, faible qualification, minima sociaux) résidant sur le territoire du "
        "PLIE, avec 6 mois de suivi dans l'emploi. Critères paramétrés par la coordination.",
        "official_url": "",
        "is_local_protocol": True,
    },
    {
        "code": "mission_locale",
        "name": "Mission Locale (accompagnement)",
        "operators": [ML],
        "description": "Accueil et accompagnement global des jeunes de 16 à 25 ans sortis du système scolaire.",
        "official_url": "https://www.unml.info/",
    },
    {
        "code": "accompagnement_global",
        "name": "Accompagnement global",
        "operators": [FT, DEP],
        "description": "Accompagnement conjoint par un conseiller France Travail et un travailleur social du "
        "Département, après un diagnostic partagé, pour les demandeurs d'emploi cumulant difficultés sociales et "
        "professionnelles.",
        "official_url": "https://www.francetravail.fr/",
    },
    {
        "code": "vae",
        "name": "Validation des acquis de l'expérience (VAE)",
        "operators": [FT, ML, CAP, "training_body"],
        "description": "Obtenir tout ou partie d'une certification grâce à une expérience en rapport direct avec "
        "elle ; aucune durée minimale d'expérience depuis le 1er janvier 2024 (décret 2023-1275).",
        "official_url": "https://vae.gouv.fr/",
    },
]


def seed(apps, schema_editor):
    Scheme = apps.get_model("schemes", "Scheme")
    for row in SCHEMES:
        data = dict(row)
        code = data.pop("code")
        Scheme.objects.update_or_create(code=code, defaults=data)


class Migration(migrations.Migration):
    dependencies = [("schemes", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
