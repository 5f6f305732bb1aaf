"""A person's registrations to actions of the census (issue 9 item 14).

The link between a person followed in a pathway and a registration to an action lives here, on the pathways side:
partners knows nothing about people in pathways (it depends on nothing above it), while the merge of two records
and the retention purge (both in pathways) find the registrations of a person through this model.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citemploi.pathways.models.person import Person


class PersonRegistration(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="action_registrations", verbose_name=_("personne")
    )
    registration = models.OneToOneField(
        "partners.Registration", on_delete=models.CASCADE, related_name="person_link", verbose_name=_("inscription")
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(_("lien établi le"), default=timezone.now)

    class Meta:
        verbose_name = _("inscription d'une personne suivie")
        verbose_name_plural = _("inscriptions des personnes suivies")

    def __str__(self) -> str:
        return f"{self.person} → {self.registration.action_id}"
