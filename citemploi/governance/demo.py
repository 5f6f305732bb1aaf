"""Demo steering data (fictitious): a COPIL and a COTECH with past and coming meetings, minutes, decisions in every
state (some late) and a roadmap in two versions with targets. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from citemploi.accounts.demo import DEMO_DOMAIN
from citemploi.accounts.models import Structure, User
from citemploi.governance.models import (
    AgendaItem,
    Decision,
    DecisionComment,
    DecisionState,
    Instance,
    InstanceKind,
    InstanceMember,
    Invitation,
    Meeting,
    MemberRole,
    Reply,
    RoadmapAction,
    RoadmapAxis,
    RoadmapObjective,
    RoadmapTarget,
    RoadmapVersion,
    Visibility,
)
from citemploi.governance.services_roadmap import copy_version

DEMO = "(démonstration, fictif)"
AXES = [
    ("1", "Recenser et fédérer les acteurs", [("1.1", "Tenir à jour le recensement de l'offre", "1.1.a",
                                                 "Revue trimestrielle de l'annuaire avec les relais")]),
    ("2", "Aller-vers et raccrocher au droit commun", [("2.1", "Repérer les habitants éloignés de l'emploi", "2.1.a",
                                                         "Permanences en pied d'immeuble dans chaque QPV")]),
    ("3", "Innover pour les besoins non couverts", [("3.1", "Expérimenter des réponses locales", "3.1.a",
                                                      "Garde d'enfants pour les rendez-vous d'embauche")]),
]  # fmt: skip


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _instance(kind: str, name: str, members: list[tuple[User | Structure | None, str]]) -> Instance:
    instance, _created = Instance.objects.get_or_create(
        kind=kind, name=name, defaults={"description": f"Instance de démonstration {DEMO}."}
    )
    for member, role in members:
        if isinstance(member, User):
            InstanceMember.objects.get_or_create(instance=instance, user=member, defaults={"role": role})
        elif isinstance(member, Structure):
            InstanceMember.objects.get_or_create(instance=instance, structure=member, defaults={"role": role})
    return instance


def _meeting(instance: Instance, title: str, days: int, *, public: bool = False) -> tuple[Meeting, bool]:
    start = _at(days, 10)
    return Meeting.objects.get_or_create(
        instance=instance,
        title=title,
        defaults={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "place": "Hôtel de Métropole, salle du conseil (lieu fictif)",
            "visibility": Visibility.PUBLIC if public else Visibility.MEMBERS,
        },
    )


def _fill(meeting: Meeting, invitees: list[User], *, past: bool) -> None:
    for position, title in enumerate(["Bilan des indicateurs", "Suites des décisions", "Feuille de route"], start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title, indicators=["spotted", "entered"])
    replies = [Reply.PRESENT, Reply.EXCUSED, Reply.REPRESENTED, Reply.PRESENT]
    for n, user in enumerate(invitees):
        reply = replies[n % len(replies)]
        Invitation.objects.create(
            meeting=meeting,
            user=user,
            sent_at=timezone.now(),
            reply=reply,
            represented_by="Adjoint·e (fictif)" if reply == Reply.REPRESENTED else "",
            attended=(reply != Reply.EXCUSED) if past else None,
        )
    if past:
        meeting.minutes = (
            f"## Relevé de décisions {DEMO}\n\n- Les indicateurs du trimestre sont présentés.\n"
            "- Les partenaires confirment les permanences en QPV.\n"
        )
        meeting.minutes_updated_at = timezone.now()
        meeting.invitations_sent_at = timezone.now()
        meeting.save(update_fields=["minutes", "minutes_updated_at", "invitations_sent_at"])


def _decisions(meeting: Meeting, owner: Structure, coordinator: User | None) -> None:
    today = timezone.localdate()
    rows = [
        ("Ouvrir une permanence emploi au centre social", DecisionState.TODO, today - dt.timedelta(days=10)),
        ("Présenter l'entonnoir par QPV au prochain COPIL", DecisionState.DOING, today + dt.timedelta(days=20)),
        ("Diffuser l'annuaire mis à jour aux relais", DecisionState.DONE, today - dt.timedelta(days=30)),
        ("Étudier un transport à la demande vers la zone d'activités", DecisionState.DROPPED, None),
        ("Relancer les entreprises du forum", DecisionState.DOING, today - dt.timedelta(days=3)),
    ]
    for text, state, deadline in rows:
        decision = Decision.objects.create(
            meeting=meeting,
            text=f"{text} {DEMO}",
            owner_structure=owner,
            deadline=deadline,
            state=state,
            closed_at=timezone.now() if state in (DecisionState.DONE, DecisionState.DROPPED) else None,
            created_by=coordinator,
        )
        if state != DecisionState.TODO:
            DecisionComment.objects.create(
                decision=decision, author=coordinator, text="Point d'étape (fictif).", state_change=state
            )


def _roadmap(adopted_at: Meeting, coordinator: User | None) -> None:
    if RoadmapVersion.objects.exists():
        return
    year = timezone.localdate().year
    v1 = RoadmapVersion.objects.create(
        number=1, title=f"Feuille de route {year}", note="Première version.", created_by=coordinator
    )
    for position, (ref, title, objectives) in enumerate(AXES):
        axis = RoadmapAxis.objects.create(version=v1, ref=ref, title=title, position=position)
        for oref, otitle, aref, atitle in objectives:
            objective = RoadmapObjective.objects.create(axis=axis, ref=oref, title=otitle)
            action = RoadmapAction.objects.create(objective=objective, ref=aref, title=atitle)
            RoadmapTarget.objects.create(
                action=action,
                indicator="spotted" if ref == "2" else "entered",
                period_from=dt.date(year, 1, 1),
                period_to=dt.date(year, 12, 31),
                value=120 if ref == "2" else 60,
            )
    v1.adopted_on = adopted_at.starts_at.date()
    v1.adopted_at = adopted_at
    v1.save(update_fields=["adopted_on", "adopted_at"])
    v2 = RoadmapVersion.objects.create(
        number=2,
        title=f"Feuille de route {year} adaptée",
        note="Cible de repérage relevée (projet).",
        created_by=coordinator,
    )
    copy_version(v1, v2)
    RoadmapTarget.objects.filter(action__objective__axis__version=v2, indicator="spotted").update(value=150)


@transaction.atomic
def load_demo(*, stdout: TextIO) -> None:
    coordinator, state, copil_member = _user("coordination"), _user("etat"), _user("copil")
    relais = Structure.objects.filter(name="Relais emploi Montreynaud").first()
    partners = list(Structure.objects.filter(name__in=["Mission Locale Loire Sud", "PLIE de Saint-Étienne Métropole"]))
    if coordinator is None or relais is None:
        return
    copil = _instance(
        InstanceKind.COPIL,
        "COPIL de la Cité de l'emploi (démonstration)",
        [(state, MemberRole.CO_CHAIR), (coordinator, MemberRole.CO_CHAIR), (copil_member, MemberRole.MEMBER)],
    )
    cotech = _instance(
        InstanceKind.COTECH,
        "COTECH des partenaires (démonstration)",
        [(coordinator, MemberRole.CO_CHAIR), (relais, MemberRole.MEMBER), *((p, MemberRole.MEMBER) for p in partners)],
    )
    invitees = [u for u in (state, copil_member, coordinator) if u is not None]
    past, created = _meeting(copil, "COPIL du premier semestre", -60, public=True)
    if created:
        _fill(past, invitees, past=True)
        _decisions(past, relais, coordinator)
    coming, created = _meeting(copil, "COPIL du second semestre", 21)
    if created:
        _fill(coming, invitees, past=False)
    held, created = _meeting(cotech, "COTECH de rentrée", -20)
    if created:
        _fill(held, [coordinator, *User.objects.filter(memberships__structure=relais)[:2]], past=True)
    _meeting(cotech, "COTECH d'automne", 7)
    _roadmap(past, coordinator)
    from citemploi.governance.needs.demo import load_needs_demo  # h33: the register of uncovered needs

    load_needs_demo(stdout=stdout, coordinator=coordinator, copil=past, partners=[relais, *partners])
    stdout.write(
        f"Démo : pilotage — {Instance.objects.count()} instances, {Meeting.objects.count()} réunions, "
        f"{Decision.objects.count()} décisions, {RoadmapVersion.objects.count()} versions de la feuille de route.\n"
    )
