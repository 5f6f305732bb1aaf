"""CEJ allowance and France Travail modalities completed (issue 11 §3, §7), a frozen copy of the changes made to
citemploi/schemes/engine/defaults.py at the time of writing (sources in docs/eligibility.md).

- CEJ: the 1 April 2023 revaluation (528 € / 316,61 € / 211,20 €, computed back from the 1 April 2024 amounts and
  that revaluation's coefficient 1,046 — flagged as computed); the effective dates of the 2024 and 2025 amounts are
  now sourced (France Travail pages « montant au 1er avril 2024 » / « au 1er avril 2025 »); a new dated parameter
  `allowance_year` tells which 1 April the amounts belong to, so that the panel says when a later revaluation is
  not entered yet (1 April 2026: no published amount found).
- France Travail: « accompagnement intensif » added to the modalities from 9 August 2025 (arrêté du 6 août 2025,
  JO du 8 août). The two-pole « intensif / agile » model is still a pilot in the sources: not dated.
Only rows no coordinator changed are touched; a later row for the same key closes the previous one.
"""

import datetime

from django.db import migrations

D = datetime.date

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
CEJ = "Art. L.5131-6 C. trav. (LFI 2022 art. 208) ; décret n° 2022-199 du 18 février 2022 (revalorisée chaque 1er avril)"
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

ADDED = [
    ("cej", "allowance_adult_eur", 528.0, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_adult_taxable_eur", 316.61, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_minor_eur", 211.2, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_year", 2022, D(2022, 3, 1), CEJ),
    ("cej", "allowance_year", 2023, D(2023, 4, 1), CEJ_2023),
    ("cej", "allowance_year", 2024, D(2024, 4, 1), CEJ_2024),
    ("cej", "allowance_year", 2025, D(2025, 4, 1), CEJ_2025),
    (
        "ft_accompagnement",
        "modalities",
        ["suivi", "guidé", "renforcé", "accompagnement global", "accompagnement intensif (15 h par semaine)"],
        D(2025, 8, 9),
        FT_INTENSIVE,
    ),
]
SOURCES = [
    ("cej", D(2024, 4, 1), CEJ_2024),
    ("cej", D(2025, 4, 1), CEJ_2025),
    ("ft_accompagnement", D(2015, 1, 1), FT_MOD),
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
    schemes = {s.code: s for s in Scheme.objects.filter(code__in={"cej", "ft_accompagnement"})}
    for code, valid_from, source in SOURCES:
        if code in schemes:
            SchemeParameter.objects.filter(
                scheme=schemes[code], valid_from=valid_from, changed_by__isnull=True
            ).update(source=source)
    touched = set()
    for code, key, value, valid_from, source in ADDED:
        if code not in schemes:
            continue
        SchemeParameter.objects.get_or_create(
            scheme=schemes[code], key=key, valid_from=valid_from, defaults={"value": value, "source": source}
        )
        touched.add((schemes[code].pk, key))
    _close_chains(SchemeParameter, touched)


class Migration(migrations.Migration):
    dependencies = [("schemes", "0007_text_limits")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
