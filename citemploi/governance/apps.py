from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "citemploi.governance"
    label = "governance"
    verbose_name = _("Pilotage")

    def ready(self) -> None:
        from citemploi.core import audit
        from citemploi.governance import models

        for model in (
            models.Instance,
            models.InstanceMember,
            models.Meeting,
            models.Invitation,
            models.MeetingDocument,
            models.Decision,
            models.DecisionComment,
            models.MeetingFeedKey,
            models.RoadmapVersion,
            models.RoadmapAxis,
            models.RoadmapObjective,
            models.RoadmapAction,
            models.RoadmapTarget,
            models.Need,
            models.NeedSignal,
            models.Proposal,
        ):
            audit.register(model, personal=False)
        # A commission de situations' item may name a person of the cohort: its history is personal.
        audit.register(models.AgendaItem, personal=True)
        # The register of uncovered needs follows pathways' signals through the background queue (needs/sync.py).
        from citemploi.governance.needs.sync import enqueue_sync
        from citemploi.pathways.unmet import unmet_recorded

        unmet_recorded.connect(enqueue_sync, dispatch_uid="governance.needs.sync")
