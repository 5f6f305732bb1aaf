"""Benchmark of the eligibility engine: 100,000 random profiles × every scheme (target: under 10 s).

    .venv/bin/python bench/eligibility.py [--profiles 100000] [--naive-sample 200]

Compares with a naive way measured in the same run: reloading the catalogue from the database for every profile
(what a view that forgot to load it once would do), timed on a small sample and extrapolated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def random_profiles(count: int, seed: int = 42) -> list:
    from citemploi.schemes.engine import Profile
    from citemploi.schemes.engine.profile import EDUCATION_LEVELS, FT_CATEGORIES, HIRING_PROMISES, RSA_VALUES

    rng = random.Random(seed)

    def maybe(value: object) -> object:
        return None if rng.random() < 0.1 else value

    def flag() -> bool | None:
        return maybe(rng.random() < 0.3)  # type: ignore[return-value]

    profiles = []
    for index in range(count):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
        registered = rng.choice([False, dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 8))])
        profiles.append(
            Profile(
                id=index,
                birth_date=maybe(birth),  # type: ignore[arg-type]
                qpv_resident=flag(),
                zrr_resident=flag(),
                education_level=maybe(rng.choice(list(EDUCATION_LEVELS))),  # type: ignore[arg-type]
                ft_registered_since=maybe(registered),  # type: ignore[arg-type]
                ft_category=maybe(rng.choice([*FT_CATEGORIES, ""])),  # type: ignore[arg-type]
                rsa=maybe(rng.choice(RSA_VALUES)),  # type: ignore[arg-type]
                ass=flag(),
                aah=flag(),
                rqth=flag(),
                single_parent=flag(),
                homeless=flag(),
                refugee=flag(),
                ase_leaver=flag(),
                justice=flag(),
                french_below_a1=flag(),
                mobility_problem=flag(),
                student=flag(),
                in_training=flag(),
                has_qualification=flag(),
                hiring_promise=maybe(rng.choice([*HIRING_PROMISES, ""])),  # type: ignore[arg-type]
                hiring_promise_months=maybe(rng.randrange(0, 25)),  # type: ignore[arg-type]
                ft_registered=flag(),
                former_cui=flag(),
                boe_title=maybe(rng.choice(["", "invalidity", "at_mp"])),  # type: ignore[arg-type]
            )
        )
    return profiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--date", default="2025-06-01")
    args = parser.parse_args()

    import django

    django.setup()
    from citemploi.schemes.engine import evaluate
    from citemploi.schemes.models import SchemeParameter
    from citemploi.schemes.selectors import load_catalogue

    if not SchemeParameter.objects.exists():
        sys.exit("Catalogue vide : lancez d'abord « citemploi migrate » (il sème les dispositifs et leurs paramètres).")
    on = dt.date.fromisoformat(args.date)
    profiles = random_profiles(args.profiles)

    started = time.perf_counter()
    catalogue = load_catalogue()
    results = 0
    for profile in profiles:
        results += len(evaluate(profile, on, catalogue))
    engine_s = time.perf_counter() - started

    sample = profiles[: args.naive_sample]
    started = time.perf_counter()
    for profile in sample:
        evaluate(profile, on, load_catalogue())
    naive_per_profile = (time.perf_counter() - started) / len(sample)
    naive_s = naive_per_profile * len(profiles)

    print(f"profils : {len(profiles)} ; dispositifs : {len(catalogue.schemes)} ; réponses : {results}")
    print(f"moteur (catalogue chargé une fois) : {engine_s:.2f} s, {len(profiles) / engine_s:,.0f} profils/s")
    print(
        f"naïf (catalogue rechargé de la base par profil, {len(sample)} profils mesurés, extrapolé) : "
        f"{naive_s:.1f} s, {1 / naive_per_profile:,.0f} profils/s"
    )
    print(f"rapport naïf / moteur : × {naive_s / engine_s:.0f}")
    print("objectif < 10 s :", "atteint" if engine_s < 10 else "NON atteint")


if __name__ == "__main__":
    main()
