"""Benchmark: evaluation outputs — SVG charts, statistical secrecy, exports.

    .venv/bin/python bench/evaluation_outputs.py [--repeat 20] [--seed 42]

Charts: the product path (``citemploi.evaluation.charts``: one reused figure, layout computed from measured
label widths, SVG cleaned for the CSP) against matplotlib's usual recipe drawn in the same run (a new pyplot
figure per chart with constrained layout, saved as SVG, closed); the chart cache is emptied before every call,
so both draw. Prints the median milliseconds per chart and the ratio. Also the time of ``mask_table`` on
dashboard-sized tables (20 QPV × 6 steps, 21 × 8) and of one export of three such tables per format.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from citemploi.core.secrecy import mask_table  # noqa: E402
from citemploi.evaluation import charts  # noqa: E402
from citemploi.evaluation.exports import ExportMeta, ExportTable, export_tables  # noqa: E402

QPV = [f"Quartier fictif n° {i}" for i in range(1, 21)]
STEPS = ["Repérés", "Contactés", "Avec référent", "Orientés", "Droit commun", "Sortie dynamique"]
MONTHS = [date(2026, m, 1) for m in range(1, 13)]


def median_ms(call, repeat: int) -> float:
    """Median CPU milliseconds of this process (the shared machine's load inflates wall-clock times)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        call()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def product(kind: str, data: dict):
    def run():
        charts._CACHE.clear()
        if kind == "bar":
            charts.bar_chart("Entrées par QPV", QPV, data)
        elif kind == "line":
            charts.line_chart("Entrées par mois", MONTHS, data)
        else:
            charts.funnel_chart("Parcours", STEPS, data["n"])

    return run


def reference(kind: str, data: dict):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    def run():
        figure, axes = pyplot.subplots(figsize=(7.2, 6 if kind == "bar" else 3.4), layout="constrained")
        if kind == "bar":
            for index, (name, values) in enumerate(data.items()):
                axes.barh([i + 0.4 * index for i in range(len(QPV))], [v or 0 for v in values], height=0.4, label=name)
            axes.set_yticks(range(len(QPV)), QPV)
            axes.legend()
        elif kind == "line":
            for name, values in data.items():
                axes.plot(
                    range(len(MONTHS)), [float("nan") if v is None else v for v in values], marker="o", label=name
                )
            axes.set_xticks(range(len(MONTHS)), [charts.month_label(m) for m in MONTHS])
            axes.legend()
        else:
            widths = [v or 0 for v in data["n"]]
            axes.barh(range(len(STEPS)), widths, left=[(max(widths) - w) / 2 for w in widths])
            axes.set_yticks(range(len(STEPS)), STEPS)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        pyplot.close(figure)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def small_or_large() -> int | None:
        return None if rng.random() < 0.15 else rng.randint(0, 400)

    datasets = {
        "bar": {"2026": [small_or_large() for _ in QPV], "2025": [small_or_large() for _ in QPV]},
        "line": {"Entrées": [small_or_large() for _ in MONTHS], "Sorties": [small_or_large() for _ in MONTHS]},
        "funnel": {"n": [1200, 900, 700, None, 300, 120]},
    }
    print(f"charts, median of {args.repeat} (CPU ms per chart)")
    for kind, data in datasets.items():
        product(kind, data)()  # warm-up: fonts, first figure
        reference(kind, data)()
        ours = median_ms(product(kind, data), args.repeat)
        theirs = median_ms(reference(kind, data), args.repeat)
        print(
            f"  {kind:7s} citemploi {ours:7.1f}   pyplot + constrained layout {theirs:7.1f}   ratio {theirs / ours:4.2f}"
        )
    start = time.perf_counter()
    for _ in range(1000):
        charts.bar_chart("Entrées par QPV", QPV, datasets["bar"])
    print(f"  bar chart served from the cache: {(time.perf_counter() - start):.3f} ms per chart")

    print("statistical secrecy, median (CPU ms per table)")
    for rows, cols in ((20, 6), (21, 8), (8, 8)):
        tables = [
            [[rng.choice([0, rng.randint(1, 5), rng.randint(6, 300)]) for _ in range(cols)] for _ in range(rows)]
            for _ in range(args.repeat)
        ]
        times = []
        for table in tables:
            start = time.process_time()
            masked = mask_table(table)
            times.append((time.process_time() - start) * 1000)
        print(
            f"  {rows} × {cols}: {statistics.median(times):6.2f} ms (last table: {masked.masked_count} entries masked)"
        )

    print("exports of three 21 × 8 tables, median (CPU ms per file)")
    meta = ExportMeta("Banc d'essai", date(2026, 1, 1), date(2026, 12, 31), filters={"QPV": "tous"})
    tables = [
        ExportTable(
            f"Tableau {k}",
            ["QPV"] + [f"c{c}" for c in range(7)],
            [[q] + [rng.randint(0, 300) for _ in range(7)] for q in QPV + ["Territoire"]],
        )
        for k in range(3)
    ]
    definitions = [(f"indicator_{i}", f"Indicateur {i}", "Définition écrite de l'indicateur. " * 5) for i in range(16)]
    for fmt in ("xlsx", "ods", "csv"):
        ms = median_ms(
            lambda fmt=fmt: export_tables(fmt, tables, definitions=definitions, meta=meta), max(3, args.repeat // 4)
        )
        print(f"  {fmt}: {ms:6.1f} ms")


if __name__ == "__main__":
    main()
