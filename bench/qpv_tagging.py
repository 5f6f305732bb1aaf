"""Benchmark: QPV tagging of N points, batch (vectorised STRtree predicates) vs a per-point shapely loop.

    .venv/bin/python bench/qpv_tagging.py [--points 1000000] [--perimeters 1600] [--sample 20000]
                                          [--full-sample 50000] [--rows 1000000] [--seed 42]

Generates ``--perimeters`` star-shaped perimeters of 200 to 600 vertices (like the national ANCT file, whose
QPV have hundreds of vertices) spread over metropolitan France, and N points: half uniform over the whole
extent, half inside the bounding boxes of random perimeters (so that many points fall in, out and near a limit).
Times the batch path (``PerimeterIndex.locate_many``: projection to Lambert-93, point-in-polygon, near-boundary
test and distance, all vectorised) and a per-point loop (STRtree candidates, then prepared ``contains``) on a
sample, and the per-point loop that gives the same answer (membership + distance + near flag) on a smaller sample;
checks that they agree point for point, and prints the rates and both ratios.

Then ``qpv tag`` end to end (``tagging.tag_file``: file in, file out, the same code as the command and the
screen's file check, with this index in place of the database's) on a generated CSV of ``--rows`` rows (id, lon,
lat, code_insee), against a plain read + write of the same file with the csv module (``csv.writer(out)
.writerows(csv.reader(in))``) in the same run: wall-clock and CPU time (the machine is shared), and the peak
memory of the process before and after (flat: chunks of 50,000 rows).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402

from citemploi.territory.geometry import ZONES, project_geometry, project_points  # noqa: E402
from citemploi.territory.lookup import IN, PerimeterIndex  # noqa: E402

METROPOLE = ZONES[0]
# Lambert-93 extent of the generated perimeters (metropolitan France, roughly).
X0, X1, Y0, Y1 = 150_000.0, 1_050_000.0, 6_150_000.0, 7_050_000.0


def n(value: float) -> str:
    """A count with French thousands separators."""
    return f"{value:,.0f}".replace(",", "\u202f")


def star_polygon(rng: np.random.Generator, cx: float, cy: float) -> shapely.Polygon:
    """A valid star-shaped polygon with 200–600 vertices and a radius of 200 m to 1.5 km."""
    vertices = int(rng.integers(200, 601))
    angles = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    base = rng.uniform(200, 1500)
    wobble = 1 + 0.3 * np.sin(angles * rng.integers(2, 7)) + rng.uniform(-0.05, 0.05, vertices)
    radius = base * wobble
    return shapely.Polygon(np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)]))


def make_perimeters(rng: np.random.Generator, count: int) -> list[shapely.Polygon]:
    """Non-overlapping perimeters (QPV do not overlap): candidates that touch an accepted one are redrawn."""
    accepted: list[shapely.Polygon] = []
    while len(accepted) < count:
        candidates = [star_polygon(rng, rng.uniform(X0, X1), rng.uniform(Y0, Y1)) for _ in range(count)]
        for polygon in candidates:
            if len(accepted) == count:
                break
            if not any(polygon.intersects(other) for other in accepted[-200:]):
                accepted.append(polygon)
        tree = shapely.STRtree(accepted)
        left, _right = tree.query(accepted, predicate="intersects")
        clashes = np.bincount(left, minlength=len(accepted)) > 1
        accepted = [p for p, clash in zip(accepted, clashes, strict=True) if not clash]
    return accepted


def make_points(rng: np.random.Generator, perimeters: list[shapely.Polygon], n: int) -> tuple[np.ndarray, np.ndarray]:
    half = n // 2
    x = rng.uniform(X0, X1, n)
    y = rng.uniform(Y0, Y1, n)
    bounds = shapely.bounds(np.array(perimeters, dtype=object))[rng.integers(0, len(perimeters), n - half)]
    x[half:] = rng.uniform(bounds[:, 0], bounds[:, 2])
    y[half:] = rng.uniform(bounds[:, 1], bounds[:, 3])
    order = rng.permutation(n)
    lon, lat = _to_wgs84(x[order], y[order])
    return lon, lat


def _to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from citemploi.territory.geometry import _to_degrees

    lon, lat = _to_degrees(METROPOLE.epsg).transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def per_point_loop(perimeters: list[shapely.Polygon], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The straightforward way: for each point, project it, ask the tree for candidates, test ``contains``."""
    tree = shapely.STRtree(perimeters)
    for polygon in perimeters:
        shapely.prepare(polygon)
    result = np.full(len(lon), -1, dtype=np.int64)
    for i in range(len(lon)):
        x, y = project_points(lon[i : i + 1], lat[i : i + 1], METROPOLE)
        point = shapely.Point(x[0], y[0])
        for candidate in tree.query(point):
            if perimeters[candidate].contains(point) or perimeters[candidate].touches(point):
                result[i] = candidate
                break
    return result


def per_point_full_answer(
    perimeters: list[shapely.Polygon], lon: np.ndarray, lat: np.ndarray, radius: float, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """The same answer as the batch, point by point: membership, then the distance to the nearest limit within
    ``radius`` and the "à vérifier" flag under ``threshold`` (what the product needs, written the obvious way)."""
    tree = shapely.STRtree(perimeters)
    limits = [polygon.boundary for polygon in perimeters]
    for geometry in (*perimeters, *limits):
        shapely.prepare(geometry)
    qpv = np.full(len(lon), -1, dtype=np.int64)
    near = np.zeros(len(lon), dtype=bool)
    for i in range(len(lon)):
        x, y = project_points(lon[i : i + 1], lat[i : i + 1], METROPOLE)
        point = shapely.Point(x[0], y[0])
        for candidate in tree.query(point, predicate="dwithin", distance=radius):
            if qpv[i] < 0 and (perimeters[candidate].contains(point) or perimeters[candidate].touches(point)):
                qpv[i] = candidate
            if limits[candidate].distance(point) <= threshold:
                near[i] = True
    return qpv, near


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--perimeters", type=int, default=1600)
    parser.add_argument("--sample", type=int, default=20_000, help="points timed with the per-point loop")
    parser.add_argument("--full-sample", type=int, default=50_000, help="points of the same-answer loop")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the qpv tag file (0: skip)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    started = time.perf_counter()
    perimeters = make_perimeters(rng, args.perimeters)
    vertices = shapely.get_num_coordinates(np.array(perimeters, dtype=object))
    wgs84 = [project_geometry(p, METROPOLE, inverse=True) for p in perimeters]
    lon, lat = make_points(rng, perimeters, args.points)
    print(
        f"jeu de données : {len(perimeters)} périmètres, {vertices.min()}–{vertices.max()} sommets "
        f"(moyenne {vertices.mean():.0f}), {n(args.points)} points — {time.perf_counter() - started:.1f} s".replace(
            ",", " "
        )
    )

    started = time.perf_counter()
    index = PerimeterIndex(
        codes=[f"QP{i:05d}" for i in range(len(wgs84))],
        names=[""] * len(wgs84),
        generations=[2024] * len(wgs84),
        geometries=wgs84,
        national=True,  # every point outside a perimeter is « hors QPV » (a national import)
    )
    print(f"construction de l'index : {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    answers = index.locate_many(lon, lat)
    batch_seconds = time.perf_counter() - started
    batch_rate = args.points / batch_seconds
    inside = int((answers.status == IN).sum())
    print(
        f"lot vectorisé : {n(args.points)} points en {batch_seconds:.2f} s = {n(batch_rate)} points/s "
        f"({n(inside)} dans un QPV, {n(int(answers.near_boundary.sum()))} près d'une limite)"
    )

    sample = min(args.sample, args.points)
    started = time.perf_counter()
    looped = per_point_loop(perimeters, lon[:sample], lat[:sample])
    loop_seconds = time.perf_counter() - started
    loop_rate = sample / loop_seconds
    print(
        f"boucle point par point : {n(sample)} points en {loop_seconds:.2f} s = {n(loop_rate)} points/s "
        f"(extrapolé : {args.points / loop_rate:.0f} s pour {n(args.points)} points)"
    )

    disagreements = int((answers.qpv[:sample] != looped).sum())
    print(f"accord point par point sur l'échantillon : {n(sample - disagreements)}/{n(sample)}")
    print(f"rapport lot / boucle d'appartenance seule : {batch_rate / loop_rate:.1f}×")

    from django.conf import settings

    full_sample = min(args.full_sample, args.points)
    started = time.perf_counter()
    full_qpv, full_near = per_point_full_answer(
        perimeters, lon[:full_sample], lat[:full_sample], settings.QPV_DISTANCE_MAX_METERS, settings.QPV_BOUNDARY_METERS
    )
    full_rate = full_sample / (time.perf_counter() - started)
    full_disagreements = int(
        ((answers.qpv[:full_sample] != full_qpv) | (answers.near_boundary[:full_sample] != full_near)).sum()
    )
    print(
        f"boucle point par point, même réponse (appartenance + distance + « à vérifier ») : {n(full_sample)} points "
        f"= {n(full_rate)} points/s ; accord {n(full_sample - full_disagreements)}/{n(full_sample)}"
    )
    print(f"rapport lot / boucle à réponse égale : {batch_rate / full_rate:.1f}×")
    verdict = batch_rate >= 300_000 and batch_rate / full_rate >= 20 and disagreements == full_disagreements == 0
    print("objectif (≥ 300 000 points/s, ≥ 20×, accord total) : " + ("atteint" if verdict else "NON atteint"))
    if args.rows:
        tag_file_bench(index, rng, perimeters, args.rows)
    sys.exit(0 if disagreements == full_disagreements == 0 else 1)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tag_file_bench(index: PerimeterIndex, rng: np.random.Generator, perimeters: list, rows: int) -> None:
    """``qpv tag`` on ``rows`` rows against a plain csv read + write of the same file, in the same run."""
    from citemploi.territory import tagging

    lon, lat = make_points(rng, perimeters, rows)
    with tempfile.TemporaryDirectory(prefix="bench-qpv-tag-") as directory:
        source, plain, tagged = (Path(directory) / name for name in ("entree.csv", "copie.csv", "sortie.csv"))
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "lon", "lat", "code_insee"])
            writer.writerows(zip(range(rows), np.round(lon, 6).tolist(), np.round(lat, 6).tolist(),
                                 ["42218"] * rows, strict=True))  # fmt: skip
        size = source.stat().st_size / 1e6
        start = _clock()
        with (
            source.open(encoding="utf-8-sig", newline="") as handle,
            plain.open("w", encoding="utf-8", newline="") as out,
        ):
            csv.writer(out).writerows(csv.reader(handle))
        plain_wall, plain_cpu = _since(start)
        tagging.get_index = lambda: index  # type: ignore[assignment]  # the generated perimeters, not the database's
        before = _peak_mb()
        start = _clock()
        summary = tagging.tag_file(source, tagged)
        tag_wall, tag_cpu = _since(start)
        after = _peak_mb()
        print(f"fichier : {n(rows)} lignes, {size:.0f} Mo ; {summary.statuses['in']} dans un QPV")
        print(f"lecture + écriture csv seules : {plain_wall:.2f} s (CPU {plain_cpu:.2f} s)")
        print(f"qpv tag de bout en bout : {tag_wall:.2f} s (CPU {tag_cpu:.2f} s) = {n(rows / tag_wall)} lignes/s")
        ratio, cpu_ratio = tag_wall / plain_wall, tag_cpu / plain_cpu
        print(f"rapport qpv tag / lecture + écriture : {ratio:.2f}× (CPU {cpu_ratio:.2f}×)")
        print(f"mémoire de pointe du processus : {before:.0f} Mo avant, {after:.0f} Mo après")
        print("objectif (≤ 2× la lecture + écriture) : " + ("atteint" if min(ratio, cpu_ratio) <= 2 else "NON atteint"))


if __name__ == "__main__":
    main()
