"""`citemploi intake dedupe|import|purge-files`: imports of partners' files and record linkage (issue 12).

``import`` goes through exactly the services of the screens (upload, analysis, confirmation, spotting): it prints
the counts and the errors (row, column, reason); without ``--dry-run`` it writes when there is no error (exit 0),
otherwise it writes nothing and exits non-zero.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from citemploi.accounts.models import Structure, User
from citemploi.core.batch import GroupCommand
from citemploi.core.errors import DomainError
from citemploi.intake import kinds, services
from citemploi.intake.linkage import dedupe
from citemploi.intake.linkage.csvfile import LinkFileError, read_records, write_result
from citemploi.intake.models import Import, ImportRow, Kind, State


class _DryRun(Exception):  # noqa: N818 — rolls a dry run back
    pass


class Command(GroupCommand):
    help = "Imports de fichiers et rapprochement des personnes."
    subcommands = {
        "dedupe": "Regroupe les lignes d'un CSV qui désignent la même personne (sans base de données) : écrit "
        "id,cluster,a_verifier_avec (docs/intake.md « Rapprochement des personnes »).",
        "import": "Analyse un fichier (liste de personnes ou reprise de l'historique) et l'importe s'il est sans erreur.",
        "purge-files": "Supprime les fichiers importés au-delà du délai de conservation (quotidien).",
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

    def add_import_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="Fichier CSV, XLSX, ODS (personnes) ou XLSX/ZIP (historique).")
        parser.add_argument("--kind", required=True, choices=["people", "history"], help="Type d'import.")
        parser.add_argument("--structure", required=True, help="Nom ou SIRET de la structure qui importe.")
        parser.add_argument("--mapping", default="", help="Correspondance de colonnes (ex. « Export I-Milo »).")

    def handle_import(self, *, file: Path, kind: str, structure: str, mapping: str, by: str, dry_run: bool,
                      **options: Any) -> None:  # fmt: skip
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        owner = self._structure(structure)
        actor = self._actor(by)
        if kind == Kind.PEOPLE and actor is None and not dry_run:
            raise CommandError("--by est nécessaire pour créer des fiches (le repérage a un auteur).")
        try:
            with transaction.atomic():
                batch = self._run(file, kind, owner, mapping, actor, dry_run)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            return
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Import {batch.public_id} : {batch.get_state_display()}."))

    def _run(self, file: Path, kind: str, owner: Structure, mapping: str, actor: User | None, dry_run: bool) -> Import:
        batch = services.import_create(
            by=actor, structure=owner, kind=kind, path=file, filename=file.name, source=mapping, via_command=True
        )
        kinds.analyse(Import.objects.get(pk=batch.pk))  # at once, in this process (the web queues it)
        batch.refresh_from_db()
        self._report(batch)
        if batch.error or batch.counts.get("errors"):
            raise CommandError(batch.error or f"{batch.counts['errors']} ligne(s) en erreur : rien n'est importé.")
        if dry_run:
            self.stdout.write("Simulation : rien n'est écrit.")
            return batch
        services.import_confirm(by=actor, batch=batch)
        batch.refresh_from_db()
        if batch.state == State.CONFIRMED:
            kinds.process(batch)
            batch.refresh_from_db()
        if kind == Kind.PEOPLE and actor is not None:
            batch = services.import_spot(by=actor, batch=batch)
        if batch.state == State.FAILED:
            raise CommandError(batch.error)
        self.stdout.write(", ".join(f"{k} : {v}" for k, v in sorted(batch.counts.items()) if k != "processed"))
        return batch

    def _report(self, batch: Import) -> None:
        counts = ", ".join(f"{k} : {v}" for k, v in sorted(batch.counts.items()))
        self.stdout.write(f"Analyse de {batch.original_name} — {counts or 'aucune ligne'}")
        for row in ImportRow.objects.filter(batch=batch).exclude(errors=[]).order_by("sheet", "line").iterator():
            for error in row.errors:
                where = f"{row.sheet} " if row.sheet else ""
                self.stdout.write(f"{where}ligne {row.line}, colonne « {error['column']} » : {error['message']}")

    @staticmethod
    def _structure(name: str) -> Structure:
        found = list(Structure.objects.filter(Q(siret=name.strip()) | Q(name__iexact=name.strip()))[:2])
        if len(found) != 1:
            raise CommandError(f"Structure introuvable ou ambiguë : {name}")
        return found[0]

    def add_purge_files_arguments(self, parser: ArgumentParser) -> None:
        pass

    def handle_purge_files(self, *, dry_run: bool, **options: Any) -> None:
        count = services.import_files_purge(dry_run=dry_run)
        verb = "seraient supprimés" if dry_run else "supprimés"
        self.stdout.write(self.style.SUCCESS(f"{count} fichier(s) d'import {verb}."))
