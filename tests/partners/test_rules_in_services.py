"""Rules that lived only in forms now hold in the services (issue 9 §19): « tous publics » cannot be combined with
other publics, through the API as through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citemploi.core.errors import ValidationFailed
from citemploi.partners.models import Service
from citemploi.partners.services import service_submit
from tests.partners.test_self_service import FORM

pytestmark = pytest.mark.django_db


def test_tous_publics_with_another_public_is_refused_by_the_api(world, clients):
    answer = clients["referent"].post(
        reverse("api:partners_services"),
        {**FORM, "publics": ["tous-publics", "jeunes"], "structure": str(world.relais.public_id)},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "« Tous publics » ne se combine pas avec d'autres publics."}
    assert not Service.objects.exists()
    alone = clients["referent"].post(
        reverse("api:partners_services"),
        {**FORM, "publics": ["tous-publics"], "structure": str(world.relais.public_id)},
        content_type="application/json",
    )
    assert alone.status_code == 201


def test_tous_publics_with_another_public_is_refused_by_the_service(world):
    with pytest.raises(ValidationFailed, match="Tous publics"):
        service_submit(
            actor=world.users["coordinator"],
            structure=world.relais,
            data={**FORM, "publics": ["tous-publics", "jeunes"]},
        )
