"""Authorization matrix of the steering pages (governance)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from citemploi.governance.models import Decision, InstanceMember
from citemploi.governance.selectors import meeting_feed_token
from tests.authz import Access
from tests.factories.accounts import StructureFactory
from tests.factories.governance import copil, invite, meeting, roadmap_draft

VIEWERS = frozenset({"referent", "colleague", "coordinator", "state_copilot", "steering_member"})
PREPARERS = frozenset({"coordinator", "state_copilot"})  # the coordinator and the COPIL's co-chair
COORDINATOR = frozenset({"coordinator"})
INVITED = frozenset({"referent", "state_copilot", "steering_member"})


def setup(world) -> None:
    if "gov_copil" in world.objects:
        return
    instance = copil(world)
    coming = meeting(instance, days=7, title="COPIL de printemps")
    past = meeting(instance, days=-7, title="COPIL d'hiver")
    invite(coming, *(world.users[p] for p in sorted(INVITED)))
    invite(past, *(world.users[p] for p in sorted(INVITED)))
    decision = Decision.objects.create(meeting=past, text="Ouvrir une permanence", owner_structure=world.relais)
    item = coming.items.create(title="Point à retirer", position=1)
    spare = InstanceMember.objects.create(instance=instance, structure=StructureFactory(name="Association invitée"))
    document = coming.documents.create(name="ordre-du-jour.txt", size=4, file=SimpleUploadedFile("odj.txt", b"odj."))
    roadmap_draft()
    world.objects.update(
        gov_copil=instance, gov_coming=coming, gov_past=past, gov_decision=decision, gov_item=item,
        gov_spare=spare, gov_document=document,
    )  # fmt: skip


def _instance(w):
    return {"public_id": w.objects["gov_copil"].public_id}


def _coming(w):
    return {"public_id": w.objects["gov_coming"].public_id}


def _past(w):
    return {"public_id": w.objects["gov_past"].public_id}


def _when(days: int, hour: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).strftime(f"%Y-%m-%dT{hour:02d}:00")


# Pages of the steering area: 403 to those outside it (the outsider relais, the admin).
VIEW = {"allowed": VIEWERS}
# Preparing a meeting: the coordinator and the co-chair; members get the service's 403.
PREPARE = {"allowed": PREPARERS, "method": "post", "ok": 302}

RULES = {
    "governance:home": Access(**VIEW),
    "governance:instance_create": Access(
        allowed=COORDINATOR,
        method="post",
        ok=302,
        data=lambda w: {"kind": "cotech", "name": "COTECH de test", "default_visibility": "membres"},
    ),
    "governance:instance": Access(kwargs=_instance, **VIEW),
    "governance:member_add": Access(
        allowed=COORDINATOR,
        method="post",
        ok=302,
        kwargs=_instance,
        data=lambda w: {"user": w.users["colleague"].pk, "role": "invite"},
    ),
    "governance:member_remove": Access(
        allowed=COORDINATOR,
        method="post",
        ok=302,
        kwargs=lambda w: {"public_id": w.objects["gov_copil"].public_id, "member_id": w.objects["gov_spare"].pk},
        # once the coordinator removed it, the member is gone for those who come after
        overrides={"state_copilot": 404, "steering_member": 404},
    ),
    "governance:meeting_create": Access(
        kwargs=_instance,
        data=lambda w: {
            "title": "Nouvelle séance",
            "starts_at": _when(30, 9),
            "ends_at": _when(30, 11),
            "place": "Salle",
        },
        **PREPARE,
    ),
    "governance:meeting": Access(kwargs=_coming, **VIEW),
    "governance:meeting_ics": Access(kwargs=_coming, **VIEW),
    "governance:meeting_edit": Access(
        kwargs=_coming,
        data=lambda w: {
            "meeting-title": "COPIL de printemps (déplacé)",
            "meeting-starts_at": _when(8, 14),
            "meeting-ends_at": _when(8, 16),
            "meeting-place": "Salle B",
        },
        **PREPARE,
    ),
    "governance:meeting_cancel": Access(kwargs=_coming, **PREPARE),
    "governance:item_add": Access(kwargs=_coming, data=lambda w: {"item-title": "Bilan du trimestre"}, **PREPARE),
    "governance:item_remove": Access(
        kwargs=lambda w: {"public_id": w.objects["gov_coming"].public_id, "item_id": w.objects["gov_item"].pk},
        overrides={"state_copilot": 404, "steering_member": 404},  # removed by the coordinator before
        **PREPARE,
    ),
    "governance:invite": Access(kwargs=_coming, **PREPARE),
    "governance:reply": Access(
        allowed=INVITED,
        method="post",
        ok=302,
        denied=404,
        kwargs=_coming,
        data=lambda w: {"reply-reply": "present"},
        overrides={"outsider": 403, "admin": 403},
    ),
    "governance:attendance": Access(kwargs=_past, **PREPARE),
    "governance:minutes": Access(kwargs=_past, data=lambda w: {"minutes-minutes": "## Relevé\n- point"}, **PREPARE),
    "governance:document_add": Access(
        kwargs=_past, data=lambda w: {"doc-file": SimpleUploadedFile("note.txt", b"note fictive")}, **PREPARE
    ),
    "governance:document": Access(
        kwargs=lambda w: {
            "public_id": w.objects["gov_coming"].public_id,
            "document_id": w.objects["gov_document"].public_id,
        },
        **VIEW,
    ),
    "governance:decision_add": Access(
        kwargs=_past,
        data=lambda w: {"decision-text": "Relancer les partenaires", "decision-owner_structure": w.relais.pk},
        **PREPARE,
    ),
    "governance:decision_follow": Access(
        allowed=VIEWERS,
        method="post",
        ok=302,
        kwargs=lambda w: {"public_id": w.objects["gov_decision"].public_id},
        data=lambda w: {"comment": "Point fait en réunion d'équipe."},
    ),
    "governance:board": Access(**VIEW),
    "governance:roadmap": Access(**VIEW),
    "governance:roadmap_draft": Access(
        allowed=COORDINATOR,
        method="post",
        ok=302,
        data=lambda w: {"title": "Version 2"},
        # the seeded draft is still open: the coordinator's request is refused too (one draft at a time), with
        # the service's message and the return to the page
        overrides={"coordinator": 303},
    ),  # fmt: skip
    "governance:roadmap_add": Access(
        allowed=COORDINATOR,
        method="post",
        ok=302,
        kwargs=lambda w: {"number": 1, "what": "axe"},
        data=lambda w: {"ref": "2", "title": "Aller-vers"},
    ),
    "governance:roadmap_adopt": Access(
        allowed=COORDINATOR,
        method="post",
        ok=302,
        kwargs=lambda w: {"number": 1},
        data=lambda w: {"meeting": str(w.objects["gov_past"].public_id)},
    ),
    "governance:feed": Access(public=True, kwargs=lambda w: {"token": meeting_feed_token(w.users["coordinator"])}),
    "governance:feed_regenerate": Access(allowed=VIEWERS, method="post", ok=302),
}

# --- COPIL pack (h24): those who see the meeting; the non-coordinators get the masked pack ----------------------
RULES.update(
    {
        "governance:pack": Access(kwargs=_past, **VIEW),
        "governance:pack_pdf": Access(kwargs=_past, **VIEW),
    }
)

# --- Register of uncovered needs (h32): the steering area reads it; any partner or relais reports; the
# coordinator qualifies and moves needs along -------------------------------------------------------------------
REPORTERS = frozenset({"referent", "colleague", "outsider", "coordinator", "state_copilot", "steering_member", "admin"})


def _need(w):
    from citemploi.governance.needs.models import Need

    need = w.objects.get("gov_need")
    if need is None:
        need = Need.objects.create(thematique="mobilite", age_band="tous", situation="tous-publics", qpv_code="")
        w.objects["gov_need"] = need
    return {"public_id": need.public_id}


RULES.update(
    {
        "governance:needs": Access(**VIEW),
        "governance:need": Access(kwargs=_need, **VIEW),
        "governance:need_report": Access(allowed=REPORTERS),
        "governance:need_qualify": Access(
            allowed=COORDINATOR,
            method="post",
            ok=302,
            kwargs=_need,
            data=lambda w: {"estimated_volume": "10", "evidence": "Constat des relais"},
            # qualified by the coordinator before: the others would get the service's refusal anyway (403 first)
        ),
        "governance:need_transition": Access(
            allowed=COORDINATOR, method="post", ok=302, kwargs=_need, data=lambda w: {"target": "abandonne"}
        ),
    }
)

# --- Solutions of the uncovered needs and the coverage map (h33): the coordinator proposes, edits and sets aside;
# the partners named on a proposal (the relais: referent, colleague) link the census action; the map is read by
# the steering viewers (masked below the coordinator); the evidence behind a cell is the coordinator's only ------


def _h33(w):
    """A qualified need with one proposal naming the relais as partner, and an action the relais carries (made
    once per world, on first use)."""
    if "h33_proposal" not in w.objects:
        from citemploi.governance.models import Need, Proposal
        from tests.factories.partners import ActionFactory

        need = Need.objects.create(thematique="mobilite--preparer-un-permis", qpv_code="QN04201M", state="qualifie")
        proposal = Proposal.objects.create(need=need, text="Auto-école sociale (fictif)")
        proposal.partners.set([w.relais])
        action = ActionFactory(carrier=w.relais, axis=3, title="Auto-école sociale")
        w.objects.update(h33_need=need, h33_proposal=proposal, h33_action=action)
    return w.objects


def _h33_proposal(w):
    return {"public_id": _h33(w)["h33_proposal"].public_id}


PARTNERS_OF_PROPOSAL = frozenset({"coordinator", "referent", "colleague"})

RULES.update(
    {
        "governance:needs_map": Access(**VIEW),
        "governance:needs_evidence": Access(allowed=COORDINATOR),
        "governance:proposal_add": Access(
            allowed=COORDINATOR,
            method="post",
            ok=302,
            kwargs=lambda w: {"public_id": _h33(w)["h33_need"].public_id},
            data=lambda w: {"proposition-text": "Navette vers la zone d'activités"},
        ),
        "governance:proposal_edit": Access(
            allowed=COORDINATOR,
            method="post",
            ok=302,
            kwargs=_h33_proposal,
            data=lambda w: {f"modifier-{_h33(w)['h33_proposal'].pk}-text": "Auto-école sociale, deux sessions"},
        ),
        "governance:proposal_link": Access(
            allowed=PARTNERS_OF_PROPOSAL,
            method="post",
            ok=302,
            kwargs=_h33_proposal,
            data=lambda w: {f"lien-{_h33(w)['h33_proposal'].pk}-census_action": _h33(w)["h33_action"].pk},
        ),
        "governance:proposal_set_aside": Access(allowed=COORDINATOR, method="post", ok=302, kwargs=_h33_proposal),
    }
)
