from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.pathways.services import handoffs_expire


class Command(GroupCommand):
    help = "Orientations entre structures."
    subcommands = {
        "expire": "Relance les structures qui n'ont pas accusé réception et fait expirer les orientations restées "
        "sans réponse (à lancer chaque jour)."
    }

    def handle_expire(self, *, dry_run: bool, **options: Any) -> None:
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return
        warned, expired = handoffs_expire()
        self.stdout.write(self.style.SUCCESS(f"{warned} relance(s), {expired} orientation(s) expirée(s)."))
