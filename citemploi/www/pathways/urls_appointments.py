"""URLs of the receiver's side of a hand-off, the agenda and the alerts inbox (namespace « pathways »)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from citemploi.pathways import agenda, alerts
from citemploi.pathways.permissions import can_view_cohort
from citemploi.www import nav
from citemploi.www.pathways import appointments as views

P = "<uuid:public_id>/"
urlpatterns = [
    path("alertes/", views.alerts_inbox, name="alerts"),
    path("agenda/", views.agenda_view, name="agenda"),
    path("agenda/rendez-vous.ics", views.agenda_ical, name="agenda_ical"),
    path(P + "orientations/<uuid:handoff_id>/rendez-vous/", views.appointment_plan, name="appointment_plan"),
    path(P + "orientations/<uuid:handoff_id>/reponse/", views.handoff_reply, name="handoff_reply"),
    path(P + "rendez-vous/<uuid:appointment_id>/tenu/", views.appointment_hold, name="appointment_hold"),
    path(P + "rendez-vous/<uuid:appointment_id>/annulation/", views.appointment_cancel, name="appointment_cancel"),
]

nav.register(
    nav.NavItem(
        label=_("Rendez-vous"),
        url_name="pathways:agenda",
        description=_("Les rendez-vous prévus par votre structure ou pour les personnes que vous avez orientées."),
        allowed=can_view_cohort,
        order=22,
    )
)
nav.set_counter("pathways:alerts", alerts.alert_count)


def _todos(user: object) -> list[nav.Todo]:
    """The to-dos of a caseworker or the coordinator on the home page (one query for the alerts, one for today's
    appointments). The relais reports to send and to review are listed by www.relais."""
    if not can_view_cohort(user):
        return []
    counts = alerts.kind_counts(user, [alerts.TO_ACKNOWLEDGE, alerts.TO_CONFIRM, alerts.FOLLOWUP_DUE])
    inbox = reverse("pathways:alerts")
    return [
        nav.Todo(_("Orientations à accuser"), counts[alerts.TO_ACKNOWLEDGE], f"{inbox}?kind={alerts.TO_ACKNOWLEDGE}"),
        nav.Todo(_("Rendez-vous aujourd'hui"), agenda.appointments_today(user).count(), reverse("pathways:agenda")),
        nav.Todo(_("Rendez-vous passés à confirmer"), counts[alerts.TO_CONFIRM], f"{inbox}?kind={alerts.TO_CONFIRM}"),
        nav.Todo(
            _("Suivis après la sortie à faire"), counts[alerts.FOLLOWUP_DUE], f"{inbox}?kind={alerts.FOLLOWUP_DUE}"
        ),
        nav.Todo(_("Toutes les alertes"), alerts.alert_count(user), inbox),
    ]


nav.register_todos(_todos)
