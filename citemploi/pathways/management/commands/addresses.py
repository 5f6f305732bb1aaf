from argparse import ArgumentParser
from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.pathways.services.locating import relocate_due


class Command(GroupCommand):
    help = "Adresses des personnes : localisation QPV."
    subcommands = {
        "relocate": "Localise à nouveau les adresses restées « non localisées pour l'instant » (géocodeur "
        "indisponible) dont le prochain essai est dû (à lancer toutes les 15 minutes)."
    }

    def add_relocate_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="fiches traitées au plus par passage")

    def handle_relocate(self, *, dry_run: bool, limit: int, **options: Any) -> None:
        counts = relocate_due(limit=limit, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Simulation : {counts['due']} fiche(s) à localiser.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['due']} fiche(s) à localiser : {counts.get('located', 0)} localisée(s), "
                f"{counts.get('retry', 0)} reportée(s), {counts.get('gave-up', 0)} abandonnée(s) (plus d'essai "
                f"automatique), {counts.get('postponed', 0)} laissée(s) au prochain passage (géocodeur indisponible)."
            )
        )
