"""Access rules of the relais network pages (the authorization matrix, tests/test_authz_matrix.py).

The setup gives the referent's relais a draft report for last month. Relais agents opening the list are sent to
their own relais' page (302); the other relais answers 404 like a missing one; roles without the network get 403.
The writes are posted with a stale version (or a file that cannot be read): whoever may act gets the French
refusal and the redirect (303), nothing is changed."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.authz import Access

NETWORK = frozenset({"referent", "colleague", "outsider", "coordinator"})
OWN = frozenset({"referent", "colleague", "coordinator"})
OUTSIDER = {"outsider": 404}


def setup(world) -> None:
    from citemploi.relais.models import ActivityReport
    from citemploi.relais.months import previous_month

    if "relais_report" in world.objects:
        return
    month = previous_month(timezone.localdate())
    world.objects["relais_report"] = ActivityReport.objects.create(relais=world.relais, month=month)
    world.objects["relais_month"] = f"{month:%Y-%m}"


def _report(world) -> dict:
    return {"public_id": world.relais.public_id, "month": world.objects["relais_month"]}


def _bad_file(world) -> dict:
    return {"file": SimpleUploadedFile("rapport.csv", b"rubrique;valeur\nrendez-vous;beaucoup\n")}


RULES = {
    "relais:list": Access(allowed=NETWORK, overrides={"referent": 302, "colleague": 302, "outsider": 302}),
    "relais:network": Access(allowed=frozenset({"coordinator"})),
    "relais:network_export": Access(allowed=frozenset({"coordinator"})),
    "relais:page": Access(allowed=OWN, kwargs=lambda w: {"public_id": w.relais.public_id}, overrides=OUTSIDER),
    "relais:report": Access(allowed=OWN, kwargs=_report, overrides=OUTSIDER),
    "relais:report_submit": Access(
        allowed=frozenset({"referent", "colleague"}), method="post", ok=303, kwargs=_report,
        data=lambda w: {"version": 999}, overrides=OUTSIDER,
    ),
    "relais:report_validate": Access(
        allowed=frozenset({"coordinator"}), method="post", ok=303, kwargs=_report,
        data=lambda w: {"version": 999}, overrides=OUTSIDER,
    ),
    "relais:report_return": Access(
        allowed=frozenset({"coordinator"}), method="post", ok=303, kwargs=_report,
        data=lambda w: {"version": 999, "comment": "À revoir"}, overrides=OUTSIDER,
    ),
    "relais:report_import": Access(
        allowed=frozenset({"referent", "colleague"}), method="post", ok=303, kwargs=_report, data=_bad_file,
        overrides=OUTSIDER,
    ),
}  # fmt: skip
