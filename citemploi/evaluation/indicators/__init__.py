"""The indicators, by theme; importing this package registers them (order = order of the docs and the CLI)."""

from citemploi.evaluation.indicators import (  # noqa: F401
    coordination,  # noqa: F401, I001 — after the contract table
    handoffs,
    outcomes,
    people,
)
