"""Benchmark: the evaluation on 100,000 people and about 1,000,000 events, against a bare Django view.

    DATABASE_URL=postgres://… .venv/bin/python bench/indicators.py [--people 100000] [--small 1000] [--repeat 3]

Creates a throwaway database (``<name>_bench``, dropped at the end), generates ``--small`` people and their events
in bulk, measures the query counts; then grows to ``--people`` and measures again, and times (median of
``--repeat`` runs): the whole registry for one year (``compute_all``), the coordinator's dashboard page, the per-QPV
funnel page, and a bare Django view served by the same client and middleware stack in the same run. Prints the
figures, the ratios to the bare view, and the query counts at both sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

YEAR = 2025


def bare(request: HttpRequest) -> HttpResponse:
    """The reference: a view that renders nothing, behind the same middleware (session, 2FA, CSP…)."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]


def n(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def generate(count: int, *, offset: int, world: dict, rng: random.Random) -> int:
    """``count`` people with their repérage, pathway, referent, contacts, hand-offs, schemes, exits, freins."""
    from django.utils import timezone

    from citemploi.pathways.choices import ExitSituation
    from citemploi.pathways.exits import exit_category
    from citemploi.pathways.models import (
        Contact,
        Exit,
        Frein,
        Handoff,
        Mobilisation,
        Pathway,
        Person,
        ReferentAssignment,
        Reperage,
    )  # fmt: skip

    tz = timezone.get_current_timezone()
    at = lambda d: dt.datetime(d.year, d.month, d.day, 10, tzinfo=tz)  # noqa: E731
    user, relais, ml, qpvs, scheme = world["user"], world["relais"], world["ml"], world["qpvs"], world["scheme"]
    people, facts = [], []
    for i in range(offset, offset + count):
        spotted = day(rng, dt.date(YEAR - 1, 7, 1), 540)
        entry = spotted + dt.timedelta(days=rng.randrange(60)) if rng.random() < 0.8 else None
        qpv = rng.choice(qpvs) if entry and rng.random() < 0.7 else None
        people.append(Person(
            first_name=f"Fictif{i}", last_name="BANC", search_name=f"banc fictif{i}", sex=rng.choice("FM"),
            birth_date=dt.date(rng.randrange(1960, 2006), rng.randrange(1, 13), rng.randrange(1, 29)),
            qpv_entry=qpv, qpv_entry_status="in" if qpv else ("unknown" if entry else ""), qpv_entry_on=entry,
            rsa=rng.choice([None, "non", "majore", "non_majore"]),
        ))  # fmt: skip
        facts.append((spotted, entry))
    Person.objects.bulk_create(people, batch_size=5000)
    rows = {name: [] for name in ("rep", "path", "ref", "contact", "handoff", "mob", "exit", "frein")}
    situations = list(ExitSituation.values)
    for person, (spotted, entry) in zip(people, facts, strict=True):
        structure = rng.choice(relais)
        rows["rep"].append(Reperage(person=person, channel=rng.choice(["permanence", "aller_vers", "partenaire"]),
                                    spotted_on=spotted, spotted_by=user, structure=structure))  # fmt: skip
        rows["path"].append(Pathway(person=person, structure=structure, state="contacte" if entry else "repere"))
        rows["ref"].append(ReferentAssignment(person=person, referent=user, structure=structure,
                                              started_at=at(spotted), assigned_by=user))  # fmt: skip
        if entry is None:
            continue
        for k in range(4):
            rows["contact"].append(Contact(person=person, kind="rdv", happened_at=at(entry + dt.timedelta(days=20 * k)),
                                           by=user, structure=structure))  # fmt: skip
        for theme in ("mobilite", "numerique"):
            lifted = rng.random() < 0.4
            rows["frein"].append(Frein(person=person, theme=theme, structure=structure, identified_on=entry,
                                       state="leve" if lifted else "identifie",
                                       closed_on=entry + dt.timedelta(days=rng.randrange(200)) if lifted else None))  # fmt: skip
        if rng.random() < 0.5:
            sent = entry + dt.timedelta(days=rng.randrange(1, 30))
            ack = sent + dt.timedelta(days=rng.randrange(1, 12)) if rng.random() < 0.7 else None
            meeting = ack + dt.timedelta(days=rng.randrange(1, 20)) if ack and rng.random() < 0.6 else None
            rows["handoff"].append(Handoff(
                person=person, from_structure=structure, to_structure=ml, reason="Banc", sent_by=user, sent_at=at(sent),
                state="premier_rdv" if meeting else ("accusee" if ack else "envoyee"),
                acknowledged_at=at(ack) if ack else None, first_meeting_on=meeting,
            ))  # fmt: skip
        if rng.random() < 0.4:
            entered = entry + dt.timedelta(days=rng.randrange(300))
            rows["mob"].append(Mobilisation(person=person, scheme=scheme, structure=ml, state="entree",
                                            proposed_on=entry, state_changed_on=entered, entered_on=entered))  # fmt: skip
        if rng.random() < 0.3:
            exited = entry + dt.timedelta(days=rng.randrange(30, 300))
            situation = rng.choice(situations)
            end = exited + dt.timedelta(days=rng.randrange(20, 400)) if situation in ("cdd", "interim") else None
            category = exit_category(situation, start=exited, contract_end=end)
            rows["exit"].append(Exit(person=person, exited_on=exited, situation=situation, contract_end_on=end,
                                     category=category, recorded_by=user))  # fmt: skip
    models = {"rep": Reperage, "path": Pathway, "ref": ReferentAssignment, "contact": Contact, "handoff": Handoff,
              "mob": Mobilisation, "exit": Exit, "frein": Frein}  # fmt: skip
    events = 0
    for name, objects in rows.items():
        models[name].objects.bulk_create(objects, batch_size=5000)
        events += len(objects)
    # Written in bulk, not through the services: the stored milestones are recomputed once for these people.
    started = time.perf_counter()
    Person.objects.filter(pk__gte=people[0].pk, pk__lte=people[-1].pk).refresh_milestones()
    print(f"  jalons recalculés pour {n(len(people))} personnes en {time.perf_counter() - started:.1f} s", flush=True)
    return events


#: the bench's accounts (role → e-mail local part), found again when the data is reused (--keep)
ACCOUNTS = {"coordinator": "coordination", "state": "etat"}


def setup_world() -> dict:
    from citemploi.accounts.models import Role
    from citemploi.schemes.models import Scheme
    from citemploi.territory.models import QPV
    from tests.factories.accounts import StructureFactory, user_with_role
    from tests.factories.territory import ensure_territory

    ensure_territory()
    relais = [StructureFactory(relais=True, name=f"Relais fictif {i}") for i in range(5)]
    ml = StructureFactory(mission_locale=True, name="Mission Locale fictive")
    coordination = StructureFactory(coordination=True)
    return {
        "user": user_with_role(Role.RELAIS_AGENT, relais[0], email="banc@exemple.test"),
        "coordinator": user_with_role(Role.COORDINATOR, coordination, email="banc-coordination@exemple.test"),
        "state": user_with_role(Role.STATE_COPILOT, StructureFactory(state=True), email="banc-etat@exemple.test"),
        "relais": relais,
        "ml": ml,
        "qpvs": list(QPV.objects.filter(in_territory=True)) or [None],
        "scheme": Scheme.objects.get(code="cej"),
    }


def timed(fn, repeat: int, *, cold: bool) -> float:
    """Median of ``repeat`` runs after a warm-up; ``cold``: the computed figures are forgotten before each run
    (the first view after a change of the data), otherwise they are kept (every later view)."""
    from django.core.cache import caches

    fn()  # warm up
    runs = []
    for _ in range(repeat):
        if cold:
            caches["figures"].clear()
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def queries(fn, *, cold: bool) -> int:
    from django.core.cache import caches

    if cold:
        caches["figures"].clear()
    else:
        fn()  # what it computes is kept
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the benchmark database; a later run with --keep reuses its data (timings at the large size only)",
    )
    args = parser.parse_args()
    # Not setup_test_environment(): it instruments every template rendering (a copy of the context per template),
    # which would weigh on the pages and not on the bare view. The test client only needs its host allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{settings.DATABASES['default']['NAME']}_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        with override_settings(ROOT_URLCONF="bench.indicators", DEBUG=False):
            run(args)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args: argparse.Namespace) -> None:
    from citemploi.accounts.models import User
    from citemploi.evaluation.periods import year_of
    from citemploi.evaluation.registry import compute_all
    from citemploi.pathways.models import Person
    from tests.conftest import login_client

    rng = random.Random(args.seed)
    reused = args.keep and Person.objects.count() >= args.people
    if reused:
        world = {role: User.objects.get(email=f"banc-{mail}@exemple.test") for role, mail in ACCOUNTS.items()}
    else:
        world = setup_world()
    client = login_client(world["coordinator"])
    state = login_client(world["state"])  # the masked view (statistical secrecy applied)
    period = year_of(YEAR)
    query = {"kind": "year", "start": f"{YEAR}-01-01"}
    pages = {
        "registre (compute_all, 1 an)": lambda: compute_all(period),
        "tableau de bord coordination": lambda: client.get("/evaluation/", query),
        "entonnoir par QPV": lambda: client.get("/evaluation/entonnoir/", query),
        "tableau de bord État (masqué)": lambda: state.get("/evaluation/", query),
        "entonnoir État (masqué)": lambda: state.get("/evaluation/entonnoir/", query),
        "vue Django nue": lambda: client.get("/bench/bare/"),
    }
    for name in [name for name in pages if not name.startswith("registre")]:
        assert pages[name]().status_code == 200, name
    counts: dict[str, dict[str, object]] = {"small": dict.fromkeys(pages, "—"), "kept": {}}
    if reused:
        print(f"données reprises de la base gardée : {n(Person.objects.count())} personnes")
    else:
        started = time.perf_counter()
        events = generate(args.small, offset=0, world=world, rng=rng)
        print(f"{n(args.small)} personnes, {n(args.small + events)} lignes (personnes et événements)")
        counts["small"] = {name: queries(fn, cold=True) for name, fn in pages.items()}
        events += generate(args.people - args.small, offset=args.small, world=world, rng=rng)
        print(f"{n(args.people)} personnes, {n(events)} événements générés en {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    counts["large"] = {name: queries(fn, cold=True) for name, fn in pages.items()}
    counts["kept"] = {name: queries(fn, cold=False) for name, fn in pages.items()}
    cold = {name: timed(fn, args.repeat, cold=True) for name, fn in pages.items()}
    warm = {name: timed(fn, args.repeat, cold=False) for name, fn in pages.items()}
    reference = min(cold["vue Django nue"], warm["vue Django nue"])
    print(f"base : {connection.vendor} ; médiane de {args.repeat} exécutions")
    print("« calcul » : chiffres oubliés avant chaque exécution ; « gardés » : chiffres déjà calculés (freshness.py)")
    head = f"{'requêtes ' + n(args.small):>16} {'requêtes ' + n(args.people):>18} {'(gardés)':>9}"
    print(f"{'mesure':34} {'calcul':>10} {'×':>6} {'gardés':>10} {'×':>6} {head}")
    for name in pages:
        ratios = [t / reference if reference else float("nan") for t in (cold[name], warm[name])]
        print(
            f"{name:34} {cold[name] * 1000:>7.0f} ms {ratios[0]:>6.0f} {warm[name] * 1000:>7.1f} ms {ratios[1]:>6.1f}"
            f" {counts['small'][name]:>16} {counts['large'][name]:>18} {counts['kept'][name]:>9}"
        )


if __name__ == "__main__":
    main()
