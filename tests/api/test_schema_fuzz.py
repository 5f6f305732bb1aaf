"""The API against its own OpenAPI schema: schemathesis fuzzes every operation on the live test server with the
tokens of three roles (referent, coordinator, outsider). 0 server error, 0 undocumented status code, 0 answer
that does not match its schema (issue 9 §18).

Bounded: FUZZ_EXAMPLES examples per operation (each sent with the three tokens), no shrinking, no database of
examples: the whole run stays well under two minutes on two cores.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories.pathways import make_person

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db(transaction=True)]

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
ROLES = ("referent", "coordinator", "outsider")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]


#: A 400 naming only these keys is the right answer to schema-valid data: a well-formed value naming a record that
#: does not exist (the fuzzer cannot guess a QPV code of the database), a rule on the record's current state
#: (« déjà accusée », a transition the state machine refuses: ``detail``) or across fields (an end before the start:
#: ``__all__``), or a domain rule relating a value to other records (a first meeting before the sending:
#: ``detail`` with the ``field`` at fault), none of which a JSON schema can express. A 400 with a per-field error
#: list (the serializer's answer to malformed input) is never accepted.
REFERENCES = {"qpvs_served", "detail", "field", "__all__", "non_field_errors"}


def _failures(case: Any, headers: dict[str, str], base_url: str) -> list[str]:
    response = case.call(base_url=base_url, headers=headers)
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except (AssertionError, BaseExceptionGroup) as error:  # a group of failures: keep the text, go on
        if response.status_code == 400 and set(_json(response)) <= REFERENCES:
            return []
        return [_summary(case.operation.label, headers["X-Role"], str(error))]
    return []


def _json(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) and data else {"": None}


def _records(world: Any) -> dict[str, str]:
    """One record of each kind, seen by the referent, not by the outsider; path prefix → public id."""
    from citemploi.pathways import services
    from tests.factories.accounts import StructureFactory
    from tests.factories.partners import ActionFactory, ServiceFactory
    from tests.factories.pathways import scheme

    referent = world.users["referent"]
    person = make_person(by=referent, first_name="Éloïse", last_name="Dupré")
    handoff = services.handoff_send(by=referent, person=person, to_structure=world.other_relais, reason="Suivi",
                                    shared=[], mobilisation=None)  # fmt: skip
    mobilisation = services.mobilisation_propose(
        by=referent, person=person, scheme=scheme(), structure=StructureFactory(mission_locale=True)
    )
    return {
        "/api/v1/persons/": str(person.public_id),
        "/api/v1/handoffs/": str(handoff.public_id),
        "/api/v1/mobilisations/": str(mobilisation.public_id),
        "/api/v1/offre/services/": str(ServiceFactory(structure=world.relais).public_id),
        "/api/v1/offre/actions/": str(ActionFactory(carrier=world.relais).public_id),
    }


def _summary(label: str, role: str, text: str) -> str:
    """The failure's kind and its reproduction, without the server's random port."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    kinds = [line for line in lines if line.startswith("- ")]
    detail = next((line for line in lines if line.startswith("`")), "")[:300]
    curl = next((line for line in lines if line.startswith("curl")), "")
    return f"{label} [{role}] {' '.join(kinds)} {detail}\n    {curl[:400]}"


@pytest.mark.usefixtures("scheme_catalogue")  # transactional: a test before it may have flushed the catalogue
def test_every_operation_conforms_to_the_schema(world, live_server, settings):
    started = time.monotonic()
    settings.GEOCODER = "ban_local"  # no network in tests: addresses are looked up in the (empty) local BAN
    known = _records(world)
    tokens = {role: Token.objects.create(user=world.users[role]).key for role in ROLES}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    base_url = f"{live_server.url}"
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        strategies = [
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
        ]
        record = next((value for prefix, value in known.items() if operation.path.startswith(prefix)), None)
        if record and "{public_id}" in operation.path:  # also on a record that exists: past the 404
            strategies.append(
                operation.as_strategy(
                    generation_mode=schemathesis.GenerationMode.POSITIVE, path_parameters={"public_id": record}
                )
            )
        strategy = st.one_of(*strategies)

        @fuzz_settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            for role, key in tokens.items():
                failures.extend(_failures(case, {"Authorization": f"Token {key}", "X-Role": role}, base_url))

        run()
    elapsed = time.monotonic() - started
    print(f"schemathesis: {operations} operations, {FUZZ_EXAMPLES} examples each x {len(ROLES)} roles, {elapsed:.1f} s")
    assert operations >= 14
    unique = sorted(set(failures))
    if os.environ.get("FUZZ_REPORT"):
        with open(os.environ["FUZZ_REPORT"], "w") as report:
            report.write("\n".join(unique))
    assert not unique, f"{len(unique)} failure(s):\n\n" + "\n\n".join(unique[:40])
