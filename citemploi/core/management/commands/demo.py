import importlib
import importlib.util
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from citemploi.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from citemploi.core.batch import GroupCommand
from citemploi.territory.demo import DemoRefusedError, load_demo_territory
from citemploi.territory.services import territory_load

#: Each app's demo loader, in dependency order; an app that is not installed is skipped.
APP_LOADERS = [
    "citemploi.partners.demo",
    "citemploi.schemes.demo",
    "citemploi.pathways.demo",
    "citemploi.relais.demo",
    "citemploi.governance.demo",
]


class Command(GroupCommand):
    help = "Jeu de données de démonstration (fictif)."
    subcommands = {"load": "Charge le territoire, les structures, les comptes et les données fictives (idempotent)."}

    def handle_load(self, *, dry_run: bool, **options: Any) -> None:
        if settings.PRODUCTION or not settings.DEMO_MODE:
            raise CommandError(
                "Les données de démonstration ne se chargent qu'en mode démonstration (DEMO_MODE=true) et jamais "
                "avec le profil de production (DJANGO_ENV=production). Rien n'a été écrit."
            )
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return
        territory_load()
        try:
            load_demo_territory(stdout=self.stdout)  # fictitious perimeters and addresses: the demo works offline
        except DemoRefusedError as refused:
            raise CommandError(str(refused)) from refused
        accounts = load_demo_accounts(stdout=self.stdout)
        for module_name in APP_LOADERS:
            app = module_name.rsplit(".", 1)[0]
            if app not in settings.INSTALLED_APPS or importlib.util.find_spec(module_name) is None:
                continue
            importlib.import_module(module_name).load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD}) :"))
        for user, role in accounts.users:
            self.stdout.write(f"  {user.email:<40} {role}")
