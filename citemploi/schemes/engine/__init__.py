"""The eligibility engine: pure functions over a Profile, a reference date and a Catalogue (no Django import).

results = evaluate(profile, date(2025, 6, 1), catalogue)
"""

from citemploi.schemes.engine.catalogue import Catalogue, MissingParameterError, ParameterValue, SchemeInfo, Snapshot
from citemploi.schemes.engine.evaluate import ROUTES, evaluate
from citemploi.schemes.engine.profile import Profile, ProfileError, age_on, parse_date, parse_profile
from citemploi.schemes.engine.result import ANSWERS, ELIGIBLE, NOT_ELIGIBLE, RULES, TO_CHECK, Reason, Result

__all__ = [
    "ANSWERS",
    "ELIGIBLE",
    "NOT_ELIGIBLE",
    "ROUTES",
    "RULES",
    "TO_CHECK",
    "Catalogue",
    "MissingParameterError",
    "ParameterValue",
    "Profile",
    "ProfileError",
    "Reason",
    "Result",
    "SchemeInfo",
    "Snapshot",
    "age_on",
    "evaluate",
    "parse_date",
    "parse_profile",
]
