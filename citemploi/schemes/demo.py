"""Demo data of the veille and the good practices library (fictitious; idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from faker import Faker

from citemploi.schemes.models import GoodPractice, Scheme, VeilleEntry, VeilleStatus

VEILLE = [
    (
        dt.date(2025, 1, 6),
        "Fin des emplois francs au 31 décembre 2024",
        "Aucune nouvelle embauche ne peut ouvrir droit à l'aide emplois francs depuis le 1er janvier 2025 (note "
        "fictive de démonstration). Orienter vers le PEC ou l'IAE selon la situation.",
        ["emplois_francs", "pec", "iae"],
        ["fermeture"],
    ),
    (
        dt.date(2025, 2, 3),
        "RSA : inscription automatique à France Travail",
        "Depuis le 1er janvier 2025, les allocataires du RSA sont inscrits à France Travail, en catégorie G en "
        "attendant leur orientation (note fictive de démonstration).",
        ["accompagnement_global", "plie"],
        ["RSA", "loi plein emploi"],
    ),
    (
        dt.date(2025, 3, 10),
        "VAE : plus de durée minimale d'expérience",
        "Depuis le 1er janvier 2024, toute personne justifiant d'une expérience en rapport avec la certification "
        "peut entrer en VAE par France VAE (note fictive de démonstration).",
        ["vae"],
        ["VAE"],
    ),
]

PRACTICES = [
    (
        "[Démo] Petits-déjeuners de l'emploi en pied d'immeuble",
        "Montreynaud (fictif)",
        ["choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"],
    ),
    (
        "[Démo] Permanence mobilité partagée avec le PLIE",
        "Terrenoire (fictif)",
        ["mobilite--etre-accompagne-dans-son-parcours-mobilite"],
    ),
    (
        "[Démo] Job dating IAE avec les SIAE du quartier",
        "Beaulieu (fictif)",
        ["trouver-un-emploi--convaincre-un-recruteur-en-entretien"],
    ),
]


@transaction.atomic
def load_demo(*, stdout: TextIO) -> None:
    """Three published veille notes and three good practices (created once; re-running changes nothing)."""
    fake = Faker("fr_FR")
    fake.seed_instance(6)
    schemes = {s.code: s for s in Scheme.objects.all()}
    for date, title, summary, codes, tags in VEILLE:
        entry, created = VeilleEntry.objects.get_or_create(
            title=title,
            defaults={
                "date": date,
                "summary": summary,
                "tags": tags,
                "status": VeilleStatus.PUBLISHED,
                "published_at": timezone.now(),
            },
        )
        if created:
            entry.schemes.set([schemes[c] for c in codes if c in schemes])
    for title, territory, thematiques in PRACTICES:
        GoodPractice.objects.get_or_create(
            title=title,
            defaults={
                "territory": territory,
                "description": fake.paragraph(nb_sentences=4),
                "results": fake.paragraph(nb_sentences=2),
                "contact": f"{fake.name()} — {fake.user_name()}@exemple.test",
                "thematiques": thematiques,
            },
        )
    stdout.write(f"Veille : {len(VEILLE)} notes, {len(PRACTICES)} bonnes pratiques de démonstration.\n")
