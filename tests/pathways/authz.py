"""Access rules of the pathways screens and API (the authorization matrix, tests/test_authz_matrix.py).

The setup gives the matrix one person followed by the referent's relais (the colleague shares the structure;
the outsider is another relais), with a frein, a scheme mobilisation, a consent, a notice, an exit with its
follow-ups and a hand-off sent to a third structure. Action URLs are requested with GET (the form)."""

from __future__ import annotations

import datetime as dt

from citemploi.accounts.models import Role
from tests.authz import Access
from tests.factories.accounts import StructureFactory, user_with_role

CASEWORK = frozenset({"referent", "colleague", "outsider", "coordinator"})
RECORD = frozenset({"referent", "colleague", "coordinator"})
RECORD_DENIED = {"state_copilot": 404, "steering_member": 404, "admin": 404}


def setup(world) -> None:
    from citemploi.pathways import services
    from tests.factories.pathways import make_person, scheme

    if "person" in world.objects:
        return
    referent = world.users["referent"]
    person = make_person(by=referent)
    frein = services.frein_identify(by=referent, person=person, theme="mobilite")
    partner = StructureFactory(mission_locale=True)
    user_with_role(Role.PARTNER_REFERENT, partner, email="ml@exemple.test")
    mobilisation = services.mobilisation_propose(by=referent, person=person, scheme=scheme("cej"), structure=partner)
    consent = services.consent_give(by=referent, person=person, partner=partner, given_on=dt.date.today())
    notice = services.notice_record(by=referent, person=person, informed_on=dt.date.today(), notice_version="v1")
    handoff = services.handoff_send(by=referent, person=person, to_structure=partner, reason="CEJ", shared=["contact"])
    exited = make_person(by=referent)
    services.contact_record(by=referent, person=exited, kind="rdv", happened_at=dt.datetime.now(dt.UTC))
    exit_ = services.exit_record(by=referent, person=exited, exited_on=dt.date.today(), situation="cdi")
    world.objects.update(
        person=person, frein=frein, mobilisation=mobilisation, consent=consent, notice=notice, handoff=handoff,
        exited=exited, followup=exit_.followups.first(),
    )  # fmt: skip


def _p(w) -> dict:
    return {"public_id": w.objects["person"].public_id}


def _record(overrides: dict | None = None, **kwargs) -> Access:
    """A screen of the person's record: the referent's structure and the coordinator; others get 404."""
    return Access(allowed=RECORD, denied=404, overrides={**RECORD_DENIED, **(overrides or {})}, **kwargs)


def _sub(name: str, key: str, person: str = "person"):
    return lambda w: {"public_id": w.objects[person].public_id, name: w.objects[key].public_id}


RULES = {
    "pathways:cohort": Access(allowed=CASEWORK),
    "pathways:person_new": Access(allowed=CASEWORK),
    "pathways:caseload": Access(allowed=CASEWORK),
    "pathways:merge": Access(allowed=frozenset({"coordinator"})),
    # Caseworkers see the pairs whose two records they may both open; the coordinator all.
    "pathways:duplicate_reviews": Access(allowed=CASEWORK),
    "pathways:duplicate_review_resolve": Access(
        allowed=CASEWORK, method="post", ok=404, kwargs=lambda w: {"pk": 999999}
    ),
    "pathways:duplicate_review_merge": Access(allowed=CASEWORK, method="post", ok=404, kwargs=lambda w: {"pk": 999999}),
    "pathways:preferences": Access(),
    "pathways:person": _record(kwargs=_p),
    "pathways:person_edit": _record(kwargs=_p),
    # « Relancer la localisation » (POST only): back to the person page.
    # The matrix record has no address: refused with a message, back to the page (303).
    "pathways:person_relocate": _record(kwargs=_p, method="post", ok=303),
    "pathways:notice_new": _record(kwargs=_p),
    "pathways:notice_object": _record(kwargs=_sub("notice_id", "notice")),
    "pathways:consent_new": _record(kwargs=_p),
    "pathways:consent_revoke": _record(kwargs=_sub("consent_id", "consent")),
    "pathways:consent_receipt": _record(kwargs=_sub("consent_id", "consent")),
    "pathways:referent": _record(kwargs=_p),
    "pathways:pathway_state": _record(kwargs=_p),
    "pathways:frein_new": _record(kwargs=_p),
    "pathways:registration_period_new": _record(kwargs=_p),
    "pathways:frein_state": _record(kwargs=_sub("frein_id", "frein")),
    "pathways:mobilisation_new": _record(kwargs=_p),
    "pathways:mobilisation_state": _record(kwargs=_sub("mobilisation_id", "mobilisation")),
    # The « Proposer » button of the eligibility panel (POST only): back to the person page, with a message. The
    # the relais does not run the PEC: « Proposer » sends every allowed persona to the form that chooses the
    # operator (302); the refusals of the service itself are tested in test_service_authorization.py.
    "pathways:mobilisation_propose": _record(kwargs=_p, method="post", ok=302, data=lambda w: {"scheme": "pec"}),
    "pathways:handoff_new": _record(kwargs=_p),
    # Answering a hand-off belongs to the receiving structure (and the coordinator): the sender gets 403.
    "pathways:handoff_acknowledge": _record(
        kwargs=_sub("handoff_id", "handoff"), overrides={"referent": 403, "colleague": 403}
    ),
    "pathways:handoff_refuse": _record(
        kwargs=_sub("handoff_id", "handoff"), overrides={"referent": 403, "colleague": 403}
    ),
    "pathways:handoff_first_meeting": _record(
        kwargs=_sub("handoff_id", "handoff"), overrides={"referent": 403, "colleague": 403}
    ),
    "pathways:contact_new": _record(kwargs=_p),
    "pathways:exit_new": _record(kwargs=_p),
    "pathways:followup": _record(kwargs=_sub("followup_id", "followup", person="exited")),
    "pathways:job_new": _record(kwargs=_p),
}

# --- API (a logged-in session works as well as a token; anonymous callers get 401) ------------------------------
API_ANON = {"anonymous": 401}
API_RECORD_DENIED = {**API_ANON, **RECORD_DENIED}
ANSWER = frozenset({"coordinator"})
ANSWER_DENIED = {**API_RECORD_DENIED, "referent": 403, "colleague": 403}

RULES.update(
    {
        "api:person-list": Access(overrides=API_ANON),
        "api:person-detail": Access(allowed=RECORD, denied=404, kwargs=_p, overrides=API_RECORD_DENIED),
        "api:handoff-list": Access(overrides=API_ANON),
        "api:contact-list": Access(overrides=API_ANON),
        "api:mobilisation-list": Access(overrides=API_ANON),
        # The coordinator may answer for the receiving structure; the sender may not (403); others see nothing (404).
        "api:handoff-acknowledge": Access(
            allowed=ANSWER,
            denied=404,
            method="post",
            kwargs=lambda w: {"public_id": w.objects["handoff"].public_id},
            overrides=ANSWER_DENIED,
        ),
        # Refusing without a reason and a first meeting before acknowledgement are refused (400), changing nothing.
        "api:handoff-refuse": Access(
            allowed=ANSWER,
            ok=400,
            denied=404,
            method="post",
            data=lambda w: {"reason": ""},
            kwargs=lambda w: {"public_id": w.objects["handoff"].public_id},
            overrides=ANSWER_DENIED,
        ),
        "api:handoff-first-meeting": Access(
            allowed=ANSWER,
            ok=400,
            denied=404,
            method="post",
            data=lambda w: {"met_on": dt.date.today().isoformat()},
            kwargs=lambda w: {"public_id": w.objects["handoff"].public_id},
            overrides=ANSWER_DENIED,
        ),
        # proposée → entrée is not a transition: those who may move the mobilisation get 400, others 404.
        "api:mobilisation-transition": Access(
            allowed=RECORD,
            ok=400,
            denied=404,
            method="post",
            data=lambda w: {"target": "entree"},
            kwargs=lambda w: {"public_id": w.objects["mobilisation"].public_id},
            overrides=API_RECORD_DENIED,
        ),
    }
)
