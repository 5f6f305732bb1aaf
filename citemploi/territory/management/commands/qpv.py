import hashlib
import sys
import tempfile
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.core.management.base import CommandError

from citemploi.core.batch import GroupCommand
from citemploi.territory.geocoding import GeocoderError
from citemploi.territory.perimeters import PerimeterFileError
from citemploi.territory.services import qpv_perimeters_import
from citemploi.territory.tagging import DEFAULT_CHUNK, TagFileError, tag_file
from citemploi.territory.tasks import tag_jobs_purge


class Command(GroupCommand):
    help = "Périmètres des QPV : import, téléchargement, vérification de fichiers."
    subcommands = {
        "import": "Importe les périmètres officiels (GeoJSON WGS84 de l'ANCT, ou zip qui le contient).",
        "download": "Télécharge le fichier officiel des périmètres (adresse et empreinte SHA-256 en paramètres).",
        "tag": "Ajoute à un fichier CSV (lon, lat ou adresses) le résultat QPV de chaque ligne.",
        "purge-files": "Supprime les fichiers déposés sur « Vérifier un fichier » après le délai de conservation.",
    }

    def add_import_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="fichier .geojson ou .zip")
        parser.add_argument("--generation", type=int, default=2024, choices=[2015, 2024])
        parser.add_argument("--all", action="store_true", help="garde toute la France, pas seulement le territoire")

    def handle_import(self, *, path: Path, generation: int, all: bool, dry_run: bool, **options: Any) -> None:
        try:
            result = qpv_perimeters_import(path=path, generation=generation, all_france=all, dry_run=dry_run)
        except PerimeterFileError as exc:
            raise CommandError(str(exc)) from exc
        verb = "seraient chargés" if dry_run else "chargés"
        self.stdout.write(
            f"{result.read} objet(s) lu(s), {result.kept} périmètre(s) QPV {verb} (génération {generation})."
        )
        if result.repaired:
            self.stdout.write(f"Géométries invalides réparées : {', '.join(result.repaired)}")
        for skipped in result.skipped:
            self.stdout.write(self.style.WARNING(f"Ignoré : {skipped}"))

    def add_download_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="où enregistrer le fichier (défaut : var/)")
        parser.add_argument("--import", dest="then_import", action="store_true", help="importe le fichier téléchargé")

    def handle_download(self, *, output: Path | None, then_import: bool, dry_run: bool, **options: Any) -> None:
        url = settings.QPV_DOWNLOAD_URL
        target = output or Path(settings.BASE_DIR) / "var" / "qpv_perimetres.zip"
        if dry_run:
            self.stdout.write(f"Simulation : téléchargerait {url} vers {target}.")
            return
        digest = _download(url, target)
        self.stdout.write(f"Téléchargé : {target} (SHA-256 {digest}).")
        if then_import:
            self.handle_import(path=target, generation=2024, all=False, dry_run=False)

    def add_tag_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("output", type=Path)
        parser.add_argument("--geocode", action="store_true", help="géocode les colonnes adresse, code_postal, commune")
        parser.add_argument("--strict", action="store_true", help="arrête à la première ligne en erreur")
        parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK, help="lignes traitées à la fois")
        parser.add_argument(
            "--french",
            action="store_true",
            help="fichier pour un tableur français : séparateur ;, noms de colonnes et valeurs en français",
        )

    def handle_tag(
        self,
        *,
        input: Path,
        output: Path,
        geocode: bool,
        strict: bool,
        chunk_size: int,
        french: bool = False,
        **options: Any,
    ) -> None:
        if input.resolve() == output.resolve():
            raise CommandError("Le fichier de sortie doit être différent du fichier d'entrée.")
        started = time.monotonic()

        def progress(rows: int) -> None:
            rate = rows / max(time.monotonic() - started, 1e-6)
            sys.stderr.write(f"\r{rows:>12,} lignes traitées ({rate:,.0f} lignes/s)".replace(",", " "))
            sys.stderr.flush()

        try:
            summary = tag_file(
                input, output, geocode=geocode, strict=strict, chunk_size=chunk_size, progress=progress, french=french
            )
        except (TagFileError, GeocoderError) as exc:
            sys.stderr.write("\n")
            raise CommandError(f"{exc} Aucun fichier de sortie n'a été écrit.") from exc
        sys.stderr.write("\n")
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Fichier écrit : {output} ({time.monotonic() - started:.1f} s)."))

    def handle_purge_files(self, *, dry_run: bool, **options: Any) -> None:
        count = tag_jobs_purge(dry_run=dry_run)
        verb = "seraient supprimées" if dry_run else "supprimées"
        self.stdout.write(f"{count} vérification(s) de fichier expirée(s) {verb}, avec leurs fichiers.")


def _download(url: str, target: Path) -> str:
    """Stream the file to a temporary name, check its SHA-256 (setting), then rename: never a half file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".partiel") as handle:
        partial = Path(handle.name)
        try:
            with requests.get(url, stream=True, timeout=30) as response:
                response.raise_for_status()
                for block in response.iter_content(1 << 20):
                    handle.write(block)
                    digest.update(block)
        except requests.RequestException as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(
                f"Téléchargement impossible ({exc.__class__.__name__}) : pas d'accès au réseau ? Téléchargez le "
                f"fichier depuis {url} sur un autre poste, puis importez-le avec « citemploi qpv import FICHIER »."
            ) from exc
    expected = settings.QPV_DOWNLOAD_SHA256.lower()
    if expected and digest.hexdigest() != expected:
        partial.unlink(missing_ok=True)
        raise CommandError(
            f"Empreinte SHA-256 inattendue ({digest.hexdigest()}, attendue {expected}) : fichier modifié ou "
            "incomplet. Vérifiez la source, puis mettez à jour QPV_DOWNLOAD_SHA256."
        )
    partial.replace(target)
    return digest.hexdigest()
