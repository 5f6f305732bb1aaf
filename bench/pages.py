"""Benchmark: the cohort list, the person page, the alerts inbox and the directory at 300 and at 20,000 people.

    .venv/bin/python bench/pages.py [--small 300] [--large 20000] [--repeat 15] [--backend both|sqlite|postgres]
                                    [--postgres postgres://postgres@127.0.0.1:5432/h22]

For each database (SQLite, and PostgreSQL when reachable), in a fresh test database created and dropped by the
run: fictitious people bulk-created over four relais (each with its pathway, a third without referent, one in six
handed to another relais, contacts old enough that many raise « sans contact récent » alerts), then each page
requested ``--repeat`` times through the whole middleware stack (Django's test client, logged in) by the
coordinator (sees everybody) and by a referent (one relais and what is handed to it), against a bare view that
renders ``base.html`` for the same user. Prints the median time, the query count, the ratios against the targets
(time at the large size ≤ 1.5× the small one, ≤ 5× the bare view) and the plans of the cohort's page query and of
its bounded count (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SMALL_LIMIT, BARE_LIMIT = 1.5, 5.0


def _child(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor != "sqlite":  # its own database, beside the test suite's test_<name>
        connection.settings_dict["TEST"]["NAME"] = f"bench_pages_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _measure(args, connection.vendor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _urlconf() -> types.ModuleType:
    """The product's URLs plus a bare view (the floor any page pays: middleware, session, base template)."""
    from django.shortcuts import render
    from django.urls import include, path

    def bare(request: Any) -> Any:
        return render(request, "base.html", {})

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]  # type: ignore[attr-defined]
    return module


def _world() -> dict[str, Any]:
    from citemploi.accounts.models import Role
    from tests.factories.accounts import StructureFactory, user_with_role

    relais = [StructureFactory(relais=True, name=f"Relais fictif {i}") for i in range(4)]
    coordination = StructureFactory(coordination=True)
    return {
        "relais": relais,
        "referent": user_with_role(Role.RELAIS_AGENT, relais[0], email="referente@exemple.test"),
        "coordinator": user_with_role(Role.COORDINATOR, coordination, email="coordination@exemple.test"),
    }


FIRST = ["Amina", "Élodie", "Jean", "Zoé", "Ludovic", "Ève", "Mathis", "Inès", "Bruno", "Chloé", "Noé", "Yasmine"]
LAST = ["Martin", "Bernard", "Émery", "Durand", "Lefèvre", "Mercier", "Ôzdemir", "Dubois", "Zidane", "Garnier"]


def _add_people(world: dict[str, Any], start: int, count: int) -> None:
    """``count`` fictitious people (« Fictif » in the last name), bulk-created with their pathway and hand-offs."""
    from django.utils import timezone

    from citemploi.pathways.models import Contact, Handoff, Pathway, Person
    from citemploi.pathways.names import search_name

    relais, referent = world["relais"], world["referent"]
    old = timezone.now() - dt.timedelta(days=400)
    people = []
    for i in range(start, start + count):
        first, last = FIRST[i % len(FIRST)], f"{LAST[(i // len(FIRST)) % len(LAST)]}-Fictif{i}"
        people.append(
            Person(
                first_name=first,
                last_name=last,
                search_name=search_name(first, last),
                birth_date=dt.date(1970 + i % 40, 1 + i % 12, 1 + i % 28),
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)
    Pathway.objects.bulk_create(
        [
            Pathway(
                person=p,
                structure=relais[i % 4],
                referent=referent if i % 4 == 0 and i % 3 else None,
                state="en_parcours",
                state_changed_at=old,
                last_contact_at=old,
            )
            for i, p in enumerate(people, start)
        ],
        batch_size=2000,
    )
    Handoff.objects.bulk_create(
        [
            Handoff(
                person=p,
                from_structure=relais[i % 4],
                to_structure=relais[(i + 1) % 4],
                reason="Orientation fictive",
                sent_by=referent,
                sent_at=old,
                shared=["contact"],
            )
            for i, p in enumerate(people, start)
            if i % 6 == 0
        ],
        batch_size=2000,
    )
    Contact.objects.bulk_create(
        [
            Contact(person=p, kind="rdv", happened_at=old, by=referent, structure=relais[i % 4])
            for i, p in enumerate(people[::2], start)
        ],
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give after such an import
        cursor.execute("ANALYZE")


def _client(user: Any) -> Any:
    from tests.conftest import login_client

    return login_client(user)


def _time(client: Any, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection

    response = client.get(url)  # warm-up (templates, caches)
    assert response.status_code == 200, (url, response.status_code)
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # survives the connection being closed at the end of the request
        client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(executed)


def _pages(world: dict[str, Any]) -> dict[str, str]:
    from django.urls import reverse

    from citemploi.pathways.models import Person

    person = Person.objects.filter(pathway__structure=world["relais"][0]).order_by("id").first()
    assert person is not None
    return {
        "vue nue": "/bench/bare/",
        "cohorte": reverse("pathways:cohort"),
        "fiche personne": reverse("pathways:person", args=[person.public_id]),
        "alertes": reverse("pathways:alerts"),
        "annuaire": reverse("partners:directory"),
    }


def _round(world: dict[str, Any], repeat: int) -> dict[tuple[str, str], tuple[float, int]]:
    results = {}
    for persona in ("coordinator", "referent"):
        client = _client(world[persona])
        for name, url in _pages(world).items():
            results[(persona, name)] = _time(client, url, repeat)
    return results


def _plans(world: dict[str, Any], vendor: str) -> None:
    from django.db import connection

    from citemploi.pathways import selectors

    for persona in ("coordinator", "referent"):
        people = selectors.cohort(world[persona])
        for label, queryset in (("page", people[:50]), ("compte borné", people.order_by().values("pk")[:1001])):
            sql, params = queryset.query.sql_with_params()
            if label == "compte borné":
                sql = f"SELECT COUNT(*) FROM ({sql}) AS bounded"
            explain = "EXPLAIN QUERY PLAN " if vendor == "sqlite" else "EXPLAIN "
            with connection.cursor() as cursor:
                cursor.execute(explain + sql, params)
                rows = cursor.fetchall()
            print(f"  plan {vendor} — cohorte, {persona}, {label} :")
            for row in rows:
                print("    " + (str(row[-1]) if vendor == "sqlite" else str(row[0])))


def _measure(args: argparse.Namespace, vendor: str) -> None:
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF=_urlconf()):
        world = _world()
        started = time.perf_counter()
        _add_people(world, 0, args.small)
        small = _round(world, args.repeat)
        _add_people(world, args.small, args.large - args.small)
        print(
            f"[{vendor}] données : {args.large - args.small} personnes ajoutées en {time.perf_counter() - started:.0f} s"
        )
        large = _round(world, args.repeat)
        print(f"[{vendor}] {'persona':12} {'page':15} {args.small:>7} p. {args.large:>7} p.  req.  ×petit  ×nue")
        verdict = True
        for (persona, name), (ms_large, queries_large) in large.items():
            ms_small, queries_small = small[(persona, name)]
            bare = large[(persona, "vue nue")][0]
            growth, over_bare = ms_large / ms_small, ms_large / bare
            ok = growth <= SMALL_LIMIT and over_bare <= BARE_LIMIT and queries_large == queries_small
            verdict &= ok or name == "vue nue"
            print(
                f"[{vendor}] {persona:12} {name:15} {ms_small:7.1f} ms {ms_large:7.1f} ms  "
                f"{queries_small:>2}/{queries_large:<2} {growth:5.2f}  {over_bare:5.2f}{'' if ok else '  ←'}"
            )
        print(f"[{vendor}] objectif (≤ {SMALL_LIMIT}× la petite cohorte, ≤ {BARE_LIMIT}× la vue nue, requêtes égales) : "
              + ("atteint" if verdict else "NON atteint"))  # fmt: skip
        _plans(world, vendor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/h22")
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        if backend == "postgres":
            env["DATABASE_URL"] = args.postgres
        command = [sys.executable, __file__, "--child", f"--small={args.small}", f"--large={args.large}",
                   f"--repeat={args.repeat}"]  # fmt: skip
        failed |= subprocess.run(command, env=env, check=False).returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
