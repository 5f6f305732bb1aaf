"""Steering fixtures: a COPIL whose co-chair is the State co-pilot, with the steering member and the relais."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citemploi.governance.models import (
    Instance,
    InstanceKind,
    InstanceMember,
    Invitation,
    Meeting,
    MemberRole,
    RoadmapAxis,
    RoadmapVersion,
    Visibility,
)


def copil(world, *, name: str = "COPIL de la Cité de l'emploi") -> Instance:
    instance = Instance.objects.create(kind=InstanceKind.COPIL, name=name)
    InstanceMember.objects.create(instance=instance, user=world.users["state_copilot"], role=MemberRole.CO_CHAIR)
    InstanceMember.objects.create(instance=instance, user=world.users["steering_member"], role=MemberRole.MEMBER)
    InstanceMember.objects.create(instance=instance, structure=world.relais, role=MemberRole.MEMBER)
    return instance


def meeting(instance: Instance, *, days: int = 7, title: str = "Séance", **extra) -> Meeting:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=days)
    return Meeting.objects.create(
        instance=instance,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Salle du conseil, Saint-Étienne (fictif)",
        visibility=extra.pop("visibility", Visibility.MEMBERS),
        **extra,
    )


def invite(meeting: Meeting, *users) -> list[Invitation]:
    return [Invitation.objects.create(meeting=meeting, user=u, sent_at=timezone.now()) for u in users]


def roadmap_draft(number: int = 1) -> RoadmapVersion:
    version = RoadmapVersion.objects.create(number=number, title="Feuille de route de test")
    RoadmapAxis.objects.create(version=version, ref="1", title="Recenser et fédérer")
    return version
