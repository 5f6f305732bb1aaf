from typing import Any

from citemploi.core.batch import GroupCommand
from citemploi.core.freshness import compact


class Command(GroupCommand):
    help = "Chiffres calculés gardés en cache tant que les données ne changent pas (core/freshness.py)."
    subcommands = {"compact": "Resserre le journal des changements des données en une ligne (cron quotidien)."}

    def handle_compact(self, *, dry_run: bool, **options: Any) -> None:
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return
        self.stdout.write(f"{compact()} ligne(s) du journal des changements resserrée(s) en une.")
