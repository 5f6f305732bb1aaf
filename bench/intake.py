"""Benchmark of issue 12 §8a: a people list through the whole import path.

    .venv/bin/python bench/intake.py [--rows 50000] [--cohort 20000] [--duplicates 0.2] [--seed 12]
                                     [--postgres postgres://postgres@127.0.0.1:5432/bench_intake] [--profile DIR]

Builds, in a fresh SQLite database under a temporary folder (nothing of the project's database is touched) or, with
``--postgres URL``, in that PostgreSQL database dropped and created again (a throwaway one, never the project's): the
reference territory, one square QPV around a point of Saint-Étienne and a generated BAN file of fictitious streets
imported into the local geocoder (``citemploi ban import``), a cohort of ``--cohort`` fictitious people, and an
XLSX « Export I-Milo » of ``--rows`` people (Faker fr_FR) of whom ``--duplicates`` are near-duplicates of cohort
members (first-name typo, swapped day and month, missing e-mail, other phone). Then measures the path a user
takes, through the same services as the screens and the command line: upload (header check), analysis (read and
type every cell), confirmation and processing (geocode with the local BAN geocoder, QPV-tag in batches, link to
the cohort), « Repérer ces personnes » (one transaction). Prints the time of each step, the total, and the peak
resident memory (ru_maxrss) before and after. Target: ≤ 60 s in total, memory flat in the number of rows.
With ``--profile DIR`` each step is run under cProfile and its statistics written to ``DIR/<step>.prof`` (the
twenty most expensive functions are printed).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
WORK = Path(tempfile.mkdtemp(prefix="bench-intake-"))
os.environ.pop("DATABASE_URL", None)
os.environ["SQLITE_PATH"] = str(WORK / "bench.sqlite3")


def _fresh_postgres(argv: list[str]) -> str:
    """The URL of ``--postgres`` (its database dropped and created again), or "" for SQLite."""
    url = next((a.split("=", 1)[1] for a in argv if a.startswith("--postgres=")), "")
    if not url and "--postgres" in argv:
        url = argv[argv.index("--postgres") + 1]
    if not url:
        return ""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


if url := _fresh_postgres(sys.argv):
    os.environ["DATABASE_URL"] = url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["GEOCODER"] = "ban_local"
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # the bench runs each step itself

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.MEDIA_ROOT = str(WORK / "media")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(args: argparse.Namespace) -> tuple[object, object, Path]:
    from citemploi.accounts.models import Role
    from citemploi.territory.services import territory_load
    from tests.factories.accounts import StructureFactory, user_with_role
    from tests.factories.territory import load_square_qpv
    from tests.intake import samples

    call_command("migrate", verbosity=0)
    territory_load()
    load_square_qpv(code="QN04299M", lon=samples.CENTRE[0], lat=samples.CENTRE[1], size_m=samples.QPV_SIZE_M)
    ban = samples.write_ban_csv(WORK / "adresses-bench.csv", houses=args.houses)
    call_command("ban", "import", str(ban), verbosity=0)
    ml = StructureFactory(mission_locale=True, name="Mission Locale fictive (banc d'essai)")
    user = user_with_role(Role.PARTNER_REFERENT, ml, email="banc@exemple.test")
    cohort = samples.people(args.cohort, seed=args.seed + 1, houses=args.houses)
    _store_cohort(cohort, ml)
    fresh = samples.people(args.rows, seed=args.seed, houses=args.houses)
    rnd = random.Random(args.seed)
    twins = rnd.sample(range(args.rows), int(args.rows * args.duplicates))
    for i in twins:
        fresh[i] = _noisy(rnd.choice(cohort), rnd)
    headers, rows = samples.as_rows("Export I-Milo", fresh)
    path = samples.write_xlsx(WORK / "export-i-milo.xlsx", headers, rows)
    return ml, user, path


def _store_cohort(people: list, structure: object) -> None:
    """The cohort written in bulk (the bench measures the import, not 20,000 registrations)."""
    import datetime as dt

    from citemploi.pathways.models import Pathway, Person
    from citemploi.pathways.names import search_name

    rows = [
        Person(first_name=p.first_name, last_name=p.last_name, birth_date=dt.datetime.strptime(p.birth, "%d/%m/%Y"),
               sex=p.sex, email=p.email.replace("personne", "cohorte"), phone=p.phone, address=p.address,
               postcode=p.postcode, city=p.city, search_name=search_name(p.first_name, p.last_name))
        for p in people
    ]  # fmt: skip
    Person.objects.bulk_create(rows, batch_size=2000)
    ids = Person.objects.values_list("pk", flat=True)
    Pathway.objects.bulk_create([Pathway(person_id=pk, structure=structure) for pk in ids], batch_size=2000)


def _noisy(person: object, rnd: random.Random) -> object:
    """A near-duplicate: the same person as typed by another partner."""
    import dataclasses

    first = person.first_name  # type: ignore[attr-defined]
    day, month, year = person.birth.split("/")  # type: ignore[attr-defined]
    change = rnd.randrange(4)
    values: dict[str, str] = {"email": ""}
    if change == 0 and len(first) > 3:
        i = rnd.randrange(1, len(first) - 1)
        values["first_name"] = first[:i] + first[i + 1] + first[i] + first[i + 2 :]
    elif change == 1 and int(day) <= 12:
        values["birth"] = f"{month}/{day}/{year}"
    elif change == 2:
        values["phone"] = f"061{rnd.randint(0, 9_999_999):07d}"
    return dataclasses.replace(person, **values)  # type: ignore[type-var]


class Step:
    """One measured step, under cProfile when ``--profile`` names a folder."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder) if folder else None

    def run(self, name: str, function: Any) -> Any:
        if self.folder is None:
            return function()
        import cProfile
        import pstats

        profile = cProfile.Profile()
        result = profile.runcall(function)
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{name.split()[0]}.prof"
        profile.dump_stats(target)
        print(f"--- profil : {name} ({target})")
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
        return result


def measure(ml: object, user: object, path: Path, step: Step) -> None:
    from citemploi.intake import kinds, services
    from citemploi.intake.models import Import

    steps: list[tuple[str, float, float]] = []
    start = last = time.perf_counter()
    cpu_start = cpu_last = time.process_time()

    def lap(name: str) -> None:
        nonlocal last, cpu_last
        now, cpu = time.perf_counter(), time.process_time()
        steps.append((name, now - last, cpu - cpu_last))
        last, cpu_last = now, cpu

    before = peak_mb()
    batch = step.run("dépôt", lambda: services.import_create(by=user, structure=ml, kind="people", path=path,  # type: ignore[arg-type]
                                                             filename=path.name, source="Export I-Milo"))  # fmt: skip
    lap("dépôt (en-tête)")
    step.run("analyse", lambda: kinds.analyse(Import.objects.get(pk=batch.pk)))
    lap("analyse (lecture et typage)")
    services.import_confirm(by=user, batch=batch)  # type: ignore[arg-type]
    step.run("traitement", lambda: kinds.process(Import.objects.get(pk=batch.pk)))
    lap("géocodage, QPV, rapprochement")
    done = step.run("repérage", lambda: services.import_spot(by=user, batch=Import.objects.get(pk=batch.pk)))  # type: ignore[arg-type]
    lap("repérage (une transaction)")
    total, cpu_total = time.perf_counter() - start, time.process_time() - cpu_start
    for name, seconds, cpu in steps:
        print(f"  {name:34} {seconds:7.1f} s (CPU du processus {cpu:6.1f} s)")
    print(f"  {'total':34} {total:7.1f} s (CPU du processus {cpu_total:6.1f} s ; objectif ≤ 60 s)")
    print(f"  charge moyenne de la machine : {os.getloadavg()[0]:.1f} (2 cœurs)")
    print(f"  mémoire résidente maximale : {before:.0f} Mo avant l'import, {peak_mb():.0f} Mo après")
    counts = {k: v for k, v in done.counts.items() if k not in ("processed",)}
    print(f"  décomptes : {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--cohort", type=int, default=20_000)
    parser.add_argument("--duplicates", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--houses", type=int, default=2000,
                        help="numbers per street of the generated BAN file (7 streets; 80 in the tests)")  # fmt: skip
    parser.add_argument("--postgres", default="", help="a throwaway PostgreSQL database (dropped and created again)")
    parser.add_argument("--profile", default="", help="folder for one cProfile file per step")
    args = parser.parse_args()
    t0 = time.perf_counter()
    ml, user, path = setup(args)
    print(f"Préparation ({args.rows} lignes, cohorte de {args.cohort}, {args.duplicates:.0%} de quasi-doublons, "
          f"{7 * args.houses} adresses BAN) : "
          f"{time.perf_counter() - t0:.1f} s, fichier {path.stat().st_size / 1e6:.1f} Mo")  # fmt: skip
    from django.db import connection

    print(f"Base : {connection.vendor}")
    measure(ml, user, path, Step(args.profile))


if __name__ == "__main__":
    main()
