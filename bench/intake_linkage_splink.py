"""splink 5 (DuckDB backend) on the corpus of bench/intake_linkage.py — run by it, in its own virtual environment.

Not part of the product (splink is never a product dependency): ``bench/intake_linkage.py`` creates
``var/bench-venv`` with ``pip install splink`` and runs ``var/bench-venv/bin/python bench/intake_linkage_splink.py
CORPUS.csv PAIRS.csv [full|identity]``. The model follows splink's own tutorial for a dedupe: Jaro–Winkler name comparisons,
the date-of-birth comparison, e-mail, phone, address and postcode; probability two random records match from
deterministic rules, u by random sampling, m by EM on two blocking rules. ``identity`` leaves out the household
fields (phone, address, postcode), which the independence assumption over-counts for families. Prints its
timings as JSON.
"""

from __future__ import annotations

import json
import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

COLUMNS = ("first_name", "surname", "dob", "sex", "email", "phone", "address", "postcode")


def comparisons(variant: str) -> list:
    identity = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("sex"),
        cl.EmailComparison("email"),
    ]
    if variant == "identity":
        return identity
    return identity + [
        cl.ExactMatch("phone"),
        cl.LevenshteinAtThresholds("address", [2, 5]),
        cl.ExactMatch("postcode"),
    ]


def main(corpus: str, output: str, variant: str) -> None:
    started = time.monotonic()
    con = duckdb.connect()
    nulls = ", ".join(f"nullif(trim({c}), '') as {c}" for c in COLUMNS)
    con.execute(
        f"create table corpus as select unique_id, {nulls} from read_csv(?, all_varchar = true, header = true)",
        [corpus],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(variant),
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "first_name"),
            "l.surname = r.first_name and l.first_name = r.surname",
            block_on("email"),
            block_on("phone"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register("corpus"), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"), block_on("email")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname", "first_name"))
    trained = time.monotonic()
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    con.execute(
        f"copy (select unique_id_l, unique_id_r, match_probability from {predictions.physical_name}) "
        "to ? (header, delimiter ',')",
        [output],
    )
    done = time.monotonic()
    print(json.dumps({"train_s": trained - started, "predict_s": done - trained}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "full")
