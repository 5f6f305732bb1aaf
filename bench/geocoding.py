"""Benchmark: the local BAN geocoder against addok (the BAN's own engine), same file, same queries, same run.

    .venv/bin/python bench/geocoding.py [--addresses 300000] [--queries 5000] [--seed 16] [--no-addok]

Generates a departmental BAN file (official columns, fictitious names: bench/geocoding_data.py) and queries, half
clean, half noisy (extra words « appt 12 », swapped order, commune typo, missing postcode, two typos). citemploi:
``ban import`` into a scratch SQLite database, then the process's index, a file run (``geocode_many``) and the
screen's path (``geocode``, one address at a time, version check included). addok 1.3.2 + addok-fr + addok-france
are installed into ``var/bench-addok`` (their own virtual environment, never a product dependency), with a
``redis-server`` started on a free port (``--save ""``) and stopped by PID at the end. An answer is right when it
is within 50 m of the address the query was made from; it is flagged when « à vérifier » (citemploi's
``needs_check``; for addok, as the BAN API back-end reads it: score < GEOCODE_MIN_SCORE or type ≠ housenumber).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-geocoding"
ADDOK_VENV = ROOT / "var" / "bench-addok"
ADDOK_PACKAGES = ["addok==1.3.2", "addok-fr==1.1.0", "addok-france==1.2.0"]
sys.path.insert(0, str(ROOT))
os.environ.pop("DATABASE_URL", None)
os.environ["SQLITE_PATH"] = str(WORK / "bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.geocoding_data import KINDS, Address, Query, generate, make_queries, write_ban  # noqa: E402

ADDOK_CONFIG = """
REDIS = {{"host": "127.0.0.1", "port": {port}, "indexes": {{"db": 0}}, "documents": {{"db": 1}}}}
BATCH_WORKERS = 1
QUERY_PROCESSORS_PYPATHS = [
    "addok.helpers.text.check_query_length",
    "addok_france.extract_address",
    "addok_france.clean_query",
    "addok_france.remove_leading_zeros",
]
SEARCH_RESULT_PROCESSORS_PYPATHS = [
    "addok.helpers.results.match_housenumber",
    "addok_france.make_labels",
    "addok.helpers.results.score_by_importance",
    "addok.helpers.results.score_by_autocomplete_distance",
    "addok.helpers.results.score_by_ngram_distance",
    "addok.helpers.results.score_by_geo_distance",
    "addok.helpers.results.adjust_scores",
]
PROCESSORS_PYPATHS = [
    "addok.helpers.text.tokenize",
    "addok.helpers.text.normalize",
    "addok_france.glue_ordinal",
    "addok_france.fold_ordinal",
    "addok_france.flag_housenumber",
    "addok.helpers.text.synonymize",
    "addok_fr.phonemicize",
]
FILTERS = ["type", "postcode", "citycode"]
"""


def meters(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6_371_000 * math.hypot(x, math.radians(lat2 - lat1))


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


# --- citemploi --------------------------------------------------------------------------------------------------


def run_citemploi(ban_path: Path, queries: list[Query], reuse: bool = False) -> dict:
    from citemploi.territory.geocoding import geocode
    from citemploi.territory.geocoding_local import LocalBanGeocoder
    from citemploi.territory.geocoding_local.index import get_index
    from citemploi.territory.services import ban_addresses_import

    settings.GEOCODER = "ban_local"
    db = WORK / "bench.sqlite3"
    imported = float("nan")
    if not (reuse and db.exists()):
        db.unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        ban_addresses_import(path=ban_path)
        imported = time.perf_counter() - t0
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    index = get_index()
    built = time.perf_counter() - t0
    gc.collect()
    memory = rss_mb() - before
    triples = [(q.address, q.postcode, q.city) for q in queries]
    coder = LocalBanGeocoder()
    coder.geocode_many(triples[:50])  # warm-up
    t0 = time.perf_counter()
    results = coder.geocode_many(triples)
    file_run = time.perf_counter() - t0
    single: list[float] = []
    for address, postcode, city in triples:
        t1 = time.perf_counter()
        geocode(address, postcode=postcode, city=city)
        single.append(time.perf_counter() - t1)
    answers = [
        (r.lon, r.lat, r.score, r.needs_check, r.level) if r is not None else (None, None, 0.0, True, "")
        for r in results
    ]
    return {"answers": answers, "file_run": file_run, "single": single, "import": imported, "build": built,
            "memory": memory, "addresses": len(index)}  # fmt: skip


# --- addok ------------------------------------------------------------------------------------------------------


def addok_venv() -> Path:
    python = ADDOK_VENV / "bin" / "python"
    if not (ADDOK_VENV / "bin" / "addok").exists():
        subprocess.run(["python3", "-m", "venv", str(ADDOK_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *ADDOK_PACKAGES], check=True)
    return ADDOK_VENV / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def addok_documents(addresses: list[Address], path: Path) -> None:
    """One document per street with its house numbers, one per commune (as the BAN's addok export)."""
    streets: dict[tuple[str, str], dict] = {}
    communes: dict[str, dict] = {}
    for a in addresses:
        key = (a.insee, a.street)
        doc = streets.get(key)
        if doc is None:
            doc = streets[key] = {"id": f"{a.insee}_{len(streets):05d}", "type": "street", "name": a.street,
                                  "postcode": a.postcode, "citycode": a.insee, "city": a.city, "lon": a.lon,
                                  "lat": a.lat, "importance": 0.3, "context": "42, Loire, Auvergne-Rhône-Alpes",
                                  "housenumbers": {}}  # fmt: skip
        doc["housenumbers"][f"{a.number} {a.rep}".strip()] = {"lon": a.lon, "lat": a.lat}
        communes.setdefault(a.insee, {"id": a.insee, "type": "municipality", "name": a.city, "postcode": a.postcode,
                                      "citycode": a.insee, "city": a.city, "lon": a.lon, "lat": a.lat,
                                      "importance": 0.5, "context": "42, Loire, Auvergne-Rhône-Alpes"})  # fmt: skip
    with path.open("w", encoding="utf-8") as handle:
        for doc in [*communes.values(), *streets.values()]:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")


def run_addok(addresses: list[Address], queries: list[Query]) -> dict:
    bin_dir = addok_venv()
    redis = shutil.which("redis-server") or "redis-server"
    port = free_port()
    server = subprocess.Popen([redis, "--port", str(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        (WORK / "addok_conf.py").write_text(ADDOK_CONFIG.format(port=port), encoding="utf-8")
        env = {**os.environ, "ADDOK_CONFIG_MODULE": str(WORK / "addok_conf.py")}
        docs = WORK / "addok.jsonl"
        addok_documents(addresses, docs)
        t0 = time.perf_counter()
        subprocess.run([str(bin_dir / "addok"), "batch", str(docs)], env=env, check=True, capture_output=True)
        subprocess.run([str(bin_dir / "addok"), "ngrams"], env=env, check=True, capture_output=True)
        imported = time.perf_counter() - t0
        (WORK / "addok_queries.json").write_text(json.dumps([q.text for q in queries]), encoding="utf-8")
        out = WORK / "addok_answers.json"
        worker = ROOT / "bench" / "geocoding_addok_worker.py"
        subprocess.run([str(bin_dir / "python"), str(worker), str(WORK / "addok_queries.json"), str(out)], env=env,
                       check=True)  # fmt: skip
        data = json.loads(out.read_text(encoding="utf-8"))
    finally:
        server.terminate()
        server.wait(timeout=10)
    threshold = float(settings.GEOCODE_MIN_SCORE)
    answers = [(lon, lat, score, score < threshold or kind != "housenumber", kind)
               for lon, lat, score, kind, _t in data["answers"]]  # fmt: skip
    single = [t for *_rest, t in data["answers"]]
    return {"answers": answers, "file_run": data["total"], "single": single, "import": imported, "build": 0.0,
            "memory": data["redis_memory"] / 1e6}  # fmt: skip


# --- report -----------------------------------------------------------------------------------------------------


def evaluate(queries: list[Query], answers: list[tuple]) -> dict:
    by_kind: dict[str, list[int]] = {k: [0, 0] for k in KINDS}
    none = wrong_unflagged = flagged = 0
    for q, (lon, lat, _score, check, _level) in zip(queries, answers, strict=True):
        right = lon is not None and meters(lon, lat, q.truth.lon, q.truth.lat) <= 50
        by_kind[q.kind][0] += right
        by_kind[q.kind][1] += 1
        none += lon is None
        flagged += bool(check)
        wrong_unflagged += lon is not None and not right and not check
    return {"by_kind": by_kind, "none": none, "wrong_unflagged": wrong_unflagged, "flagged": flagged}


def precision_table(queries: list[Query], answers: list[tuple]) -> None:
    """Precision of the answers at or above each score, to set the « à vérifier » threshold."""
    print("\nciteemploi — précision des réponses selon le score (seuil « à vérifier »)".replace("cite", "cit"))
    print(f"{'score ≥':>8} {'réponses':>9} {'justes':>8} {'précision':>10}")
    rights = [(s, a[0] is not None and meters(a[0], a[1], q.truth.lon, q.truth.lat) <= 50)
              for q, a in zip(queries, answers, strict=True) for s in [a[2]]]  # fmt: skip
    for threshold in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        kept = [r for s, r in rights if s >= threshold]
        print(f"{threshold:>8} {len(kept):>9} {sum(kept):>8} {pct(sum(kept), len(kept)):>10}")


def report(queries: list[Query], results: dict[str, dict]) -> None:
    n = len(queries)
    stats = {name: evaluate(queries, r["answers"]) for name, r in results.items()}
    names = list(results)
    print(f"\n{'mesure':<44}" + "".join(f"{name:>16}" for name in names) + ("   rapport" if len(names) == 2 else ""))

    def row(label: str, values: list[str], ratio: str = "") -> None:
        print(f"{label:<44}" + "".join(f"{v:>16}" for v in values) + (f"   {ratio}" if ratio else ""))

    def right(s: dict, kinds: tuple[str, ...]) -> tuple[int, int]:
        return sum(s["by_kind"][k][0] for k in kinds), sum(s["by_kind"][k][1] for k in kinds)

    row("juste à 50 m, toutes requêtes", [pct(*right(stats[m], KINDS)) for m in names])
    row("  requêtes propres", [pct(*right(stats[m], KINDS[:1])) for m in names])
    row("  requêtes bruitées", [pct(*right(stats[m], KINDS[1:])) for m in names])
    for kind in KINDS[1:]:
        row(f"    {kind}", [pct(*right(stats[m], (kind,))) for m in names])
    row("sans réponse", [pct(stats[m]["none"], n) for m in names])
    row("réponse fausse non signalée « à vérifier »", [pct(stats[m]["wrong_unflagged"], n) for m in names])
    row("réponses « à vérifier »", [pct(stats[m]["flagged"], n) for m in names])
    row("précision des réponses sûres (non signalées)",
        [pct(n - stats[m]["flagged"] - stats[m]["wrong_unflagged"], n - stats[m]["flagged"]) for m in names])  # fmt: skip
    rates = {m: n / results[m]["file_run"] for m in names}
    ratio = f"×{rates[names[0]] / rates[names[1]]:.1f}" if len(names) == 2 else ""
    row("fichier (adresses/s)", [f"{rates[m]:,.0f}".replace(",", " ") for m in names], ratio)
    for label, keep in (("une adresse", None), ("  avec code postal", True), ("  sans code postal", False)):
        values = []
        for m in names:
            times = sorted(t for q, t in zip(queries, results[m]["single"], strict=True)
                           if keep is None or (q.truth.postcode in q.text) == keep)  # fmt: skip
            if not times:
                values.append("–")
                continue
            values.append(f"{1000 * statistics.median(times):.1f}/{1000 * times[int(0.95 * len(times))]:.1f} ms")
        row(label + " (médiane/p95)", values)
    row("import (s)", [f"{results[m]['import']:.1f}" for m in names])
    row("construction de l'index en mémoire (s)", [f"{results[m]['build']:.1f}" for m in names])
    row("mémoire (Mo : index du processus / Redis)", [f"{results[m]['memory']:.0f}" for m in names])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addresses", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-addok", action="store_true", help="citemploi seul (pas de Redis ni d'addok)")
    parser.add_argument("--reuse-db", action="store_true", help="garde la base déjà importée (mêmes paramètres)")
    parser.add_argument("--profile", action="store_true", help="profil (cProfile) du passage fichier de citemploi")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    addresses = generate(rng, args.addresses)
    ban_path = WORK / "adresses-42.csv"
    write_ban(addresses, ban_path)
    queries = make_queries(rng, addresses, args.queries)
    communes = len({a.insee for a in addresses})
    streets = len({(a.insee, a.street) for a in addresses})
    print(f"Fichier BAN généré : {len(addresses)} adresses, {communes} communes, {streets} voies "
          f"({time.perf_counter() - t0:.1f} s) ; {len(queries)} requêtes.")  # fmt: skip
    if args.profile:
        import cProfile

        cProfile.runctx("run_citemploi(ban_path, queries, True)", globals(), locals(), sort="tottime")
        return
    results = {"citemploi": run_citemploi(ban_path, queries, args.reuse_db)}
    if not args.no_addok:
        results["addok 1.3.2"] = run_addok(addresses, queries)
    report(queries, results)
    precision_table(queries, results["citemploi"]["answers"])


if __name__ == "__main__":
    main()
