from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.evaluation.permissions import can_view_indicators
from citemploi.www.evaluation import views
from citemploi.www.nav import NavItem, register

app_name = "evaluation"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("export/", views.dashboard_export, name="export"),
    path("personnes/", views.figure_people, name="people"),
    path("entonnoir/", views.funnel_page, name="funnel"),
    path("instantane/", views.snapshot_create, name="snapshot"),
]

register(
    NavItem(
        label=_("Indicateurs"),
        url_name="evaluation:dashboard",
        description=_("Les chiffres de la Cité de l'emploi sur une période : repérage, orientations, sorties."),
        allowed=can_view_indicators,
        order=60,
    )
)
register(
    NavItem(
        label=_("Entonnoir par quartier"),
        url_name="evaluation:funnel",
        description=_("Du repérage à la sortie, QPV par QPV, avec la carte."),
        allowed=can_view_indicators,
        order=61,
    )
)
