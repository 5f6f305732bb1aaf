"""Reads scoped to the viewer: an instance, its meetings and decisions are seen by the coordinator and its members."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q


def _member_instances(user: Any) -> Q:
    structures = list(user.structure_ids)
    return Q(members__user=user) | Q(members__structure_id__in=structures)


def _coordinator(user: Any) -> bool:
    from citemploi.accounts.permissions import is_coordinator

    return bool(is_coordinator(user))


class InstanceQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> InstanceQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if _coordinator(user):
            return self
        return self.filter(pk__in=self.model.objects.filter(_member_instances(user)).values("pk"))


class MeetingQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> MeetingQuerySet:
        from citemploi.governance.models import Instance

        return self.filter(instance__in=Instance.objects.visible_to(user))

    def public(self) -> MeetingQuerySet:
        from citemploi.governance.models import Visibility

        return self.filter(visibility=Visibility.PUBLIC, cancelled=False)


class DecisionQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> DecisionQuerySet:
        from citemploi.governance.models import Instance

        return self.filter(meeting__instance__in=Instance.objects.visible_to(user))

    def open(self) -> DecisionQuerySet:
        from citemploi.governance.models import DecisionState

        return self.filter(state__in=[DecisionState.TODO, DecisionState.DOING])
