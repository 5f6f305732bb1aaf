"""``evaluate(profile, on, catalogue)``: one Result per scheme and route, in the catalogue's order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from citemploi.schemes.engine import rules_iae, rules_more, rules_other, rules_young
from citemploi.schemes.engine.catalogue import Catalogue, SchemeInfo, Snapshot
from citemploi.schemes.engine.profile import Profile
from citemploi.schemes.engine.result import NOT_ELIGIBLE, TO_CHECK, Reason, Result, Verdict, rule

SingleRoute = Callable[[Profile, dt.date, dict[str, Any], Verdict], None]

SINGLE_ROUTE: dict[str, SingleRoute] = {
    "cej": rules_young.cej,
    "pec": rules_other.pec,
    "emplois_francs": rules_other.emplois_francs,
    "apprentissage": rules_young.apprentissage,
    "contrat_pro": rules_young.contrat_pro,
    "e2c": rules_young.e2c,
    "epide": rules_young.epide,
    "cap_emploi": rules_other.cap_emploi,
    "poei": rules_other.poei,
    "afpr": rules_other.afpr,
    "plie": rules_other.plie,
    "mission_locale": rules_young.mission_locale,
    "accompagnement_global": rules_other.accompagnement_global,
    "vae": rules_other.vae,
    "pacea": rules_more.pacea,
    "rsa_orientation": rules_more.rsa_orientation,
    "ft_accompagnement": rules_more.ft_accompagnement,
    "geiq": rules_more.geiq,
    "cdd_tremplin": rules_more.cdd_tremplin,
    "poec": rules_more.poec,
    "pmsmp": rules_more.pmsmp,
    "garantie_jeunes": rules_more.garantie_jeunes,
    "aij": rules_more.aij,
}
#: Every scheme the engine knows, with its routes (``None`` when the scheme has a single one).
ROUTES: dict[str, tuple[str | None, ...]] = {code: (None,) for code in SINGLE_ROUTE} | {"iae": rules_iae.ROUTES}

NOT_YET = rule("catalogue.not_yet", "Le dispositif n'était pas encore en vigueur à la date de référence (catalogue).")
CLOSED = rule("catalogue.closed", "Le dispositif est fermé aux entrées après sa date de fin (catalogue).")
NO_PARAMETERS = rule("catalogue.no_parameters", "Un paramètre de la règle n'a pas de valeur à la date de référence.")
UNKNOWN_SCHEME = rule("catalogue.unknown_scheme", "Le moteur n'a pas de règle pour ce dispositif du catalogue.")


def evaluate(profile: Profile, on: dt.date, catalogue: Catalogue) -> list[Result]:
    """Answers for every scheme of the catalogue (and every route of the IAE) on the reference date ``on``."""
    plan = catalogue.memo.get(on)
    if plan is None:
        plan = catalogue.memo[on] = _plan(on, catalogue)
    results: list[Result] = []
    for scheme, params, version, fixed in plan:
        if fixed is not None:
            results.extend(fixed)
        else:
            results.extend(_run(profile, on, scheme, params, version))
    return results


def evaluate_scheme(profile: Profile, on: dt.date, scheme: SchemeInfo, snapshot: Snapshot) -> list[Result]:
    """Answers for one scheme (one per route)."""
    version = snapshot.versions.get(scheme.code)
    fixed = _fixed(scheme, on, version)
    return fixed if fixed is not None else _run(profile, on, scheme, snapshot.scheme_values(scheme.code), version)


Plan = list[tuple[SchemeInfo, dict[str, Any], "dt.date | None", "list[Result] | None"]]


def _plan(on: dt.date, catalogue: Catalogue) -> Plan:
    """What does not depend on the person, computed once per date: parameters, versions, and the answers of
    schemes that are unknown to the engine or outside their validity (the same for everybody)."""
    snapshot = catalogue.at(on)
    plan: Plan = []
    for scheme in catalogue.schemes:
        version = snapshot.versions.get(scheme.code)
        plan.append((scheme, snapshot.scheme_values(scheme.code), version, _fixed(scheme, on, version)))
    return plan


def _fixed(scheme: SchemeInfo, on: dt.date, version: dt.date | None) -> list[Result] | None:
    routes = ROUTES.get(scheme.code)
    if routes is None:
        return [_single(scheme, None, TO_CHECK, UNKNOWN_SCHEME, "Règles à examiner par un conseiller.", version)]
    if not scheme.in_force(on):
        return [_outside_validity(scheme, route, on, version) for route in routes]
    return None


def _run(
    profile: Profile, on: dt.date, scheme: SchemeInfo, params: dict[str, Any], version: dt.date | None
) -> list[Result]:
    code = scheme.code
    try:
        if code == "iae":
            return [v.result(code, route, version, scheme.name) for route, v in rules_iae.iae(profile, on, params)]
        verdict = Verdict()
        SINGLE_ROUTE[code](profile, on, params, verdict)
    except KeyError as missing:
        text = f"Le paramètre « {missing.args[0]} » n'a pas de valeur au {on:%d/%m/%Y} : règle à vérifier."
        return [_single(scheme, route, TO_CHECK, NO_PARAMETERS, text, version) for route in ROUTES[code]]
    return [verdict.result(code, None, version, scheme.name)]


def _outside_validity(scheme: SchemeInfo, route: str | None, on: dt.date, version: dt.date | None) -> Result:
    if scheme.valid_from is not None and on < scheme.valid_from:
        text = f"Le dispositif n'entre en vigueur que le {scheme.valid_from:%d/%m/%Y}."
        return _single(scheme, route, NOT_ELIGIBLE, NOT_YET, text, version)
    text = f"Dispositif fermé : aucune entrée possible après le {scheme.valid_to:%d/%m/%Y}."
    return _single(scheme, route, NOT_ELIGIBLE, CLOSED, text, version)


def _single(
    scheme: SchemeInfo, route: str | None, answer: str, rule_id: str, text: str, version: dt.date | None
) -> Result:
    missing = (text,) if answer == TO_CHECK else ()
    return Result(scheme.code, route, answer, (Reason(rule_id, text),), version, missing, scheme.name)
