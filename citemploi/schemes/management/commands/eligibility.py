"""``citemploi eligibility check --date YYYY-MM-DD FILE.json``: the engine for partner tooling (docs/eligibility.md)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.schemes.engine import ProfileError, evaluate, parse_date, parse_profile
from citemploi.schemes.selectors import load_catalogue


class Command(GroupCommand):
    help = "Éligibilité aux dispositifs de droit commun."
    subcommands = {
        "check": "Évalue une liste de profils (fichier JSON) à une date et écrit les réponses en JSON sur la sortie.",
    }

    def add_check_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", required=True, help="Date de référence, AAAA-MM-JJ.")
        parser.add_argument("file", help="Fichier JSON : une liste de profils.")

    def handle_check(self, *, date: str, file: str, **options: Any) -> None:
        try:
            on = parse_date(date, "--date")
        except ProfileError as error:
            raise CommandError(str(error)) from None
        profiles = [self._profile(data, index) for index, data in enumerate(self._load(Path(file)))]
        catalogue = load_catalogue()
        output = [
            {"id": profile.id, "results": [result.as_json() for result in evaluate(profile, on, catalogue)]}
            for profile in profiles
        ]
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _load(self, path: Path) -> list[object]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {path}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Fichier illisible : {path} ({error})") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"JSON invalide dans {path}, ligne {error.lineno}, colonne {error.colno} : {error.msg}"
            ) from None
        if not isinstance(data, list):
            raise CommandError(f"{path} doit contenir une liste JSON de profils ([...]), pas un {type(data).__name__}.")
        return data

    def _profile(self, data: object, index: int) -> Any:
        try:
            return parse_profile(data, index)
        except ProfileError as error:
            raise CommandError(str(error)) from None
