"""``citemploi intake <subcommand>``: imports' command line (issue 12 §5).

Each subcommand is a ``handle_<name>`` method (with an optional ``add_<name>_arguments``) declared in
``subcommands`` (citemploi.core.batch.GroupCommand).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.intake.linkage import dedupe
from citemploi.intake.linkage.csvfile import LinkFileError, read_records, write_result


class Command(GroupCommand):
    help = "Imports de fichiers et rapprochement des personnes."
    subcommands = {
        "dedupe": "Regroupe les lignes d'un CSV qui désignent la même personne (sans base de données) : écrit "
        "id,cluster,a_verifier_avec (docs/intake.md « Rapprochement des personnes »).",
    }

    def add_dedupe_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input", metavar="ENTREE.csv", type=Path, help="CSV UTF-8 : id,nom,prenom,…,commune")
        parser.add_argument("output", metavar="SORTIE.csv", type=Path, help="résultat : id,cluster,a_verifier_avec")

    def handle_dedupe(self, *, input: Path, output: Path, dry_run: bool, **options: Any) -> None:
        try:
            records = read_records(input)
        except LinkFileError as exc:
            raise CommandError(f"{input} : {exc}") from None
        cluster_of, review = dedupe(records)
        clusters = len(set(cluster_of.values()))
        to_review = sum(1 for ids in review.values() if ids)
        summary = (
            f"{len(records)} ligne(s), {clusters} personne(s) distincte(s), {len(records) - clusters} ligne(s) "
            f"rattachée(s) à une autre, {to_review} ligne(s) à vérifier."
        )
        if dry_run:
            self.stdout.write(f"Simulation : {summary} Rien n'est écrit.")
            return
        try:
            write_result(output, records, cluster_of, review)
        except OSError as exc:
            raise CommandError(f"{output} : écriture impossible ({exc.strerror or exc}).") from None
        self.stdout.write(self.style.SUCCESS(f"{summary} Résultat : {output}."))
