from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citemploi.relais import selectors
from citemploi.relais.months import previous_month
from citemploi.relais.permissions import can_view_consolidated, is_relais_agent
from citemploi.www.nav import NavItem, Todo, register, register_todos
from citemploi.www.relais import views

app_name = "relais"
urlpatterns = [
    path("", views.relais_list, name="list"),
    path("ensemble/", views.network_page, name="network"),
    path("ensemble/export/", views.network_export, name="network_export"),
    path("<uuid:public_id>/", views.relais_page, name="page"),
    path("<uuid:public_id>/rapports/<str:month>/", views.report_page, name="report"),
    path("<uuid:public_id>/rapports/<str:month>/soumettre/", views.report_submit, name="report_submit"),
    path("<uuid:public_id>/rapports/<str:month>/valider/", views.report_validate, name="report_validate"),
    path("<uuid:public_id>/rapports/<str:month>/renvoyer/", views.report_return, name="report_return"),
    path("<uuid:public_id>/rapports/<str:month>/importer/", views.report_import, name="report_import"),
]

register(
    NavItem(
        label=_("Relais emploi"),
        url_name="relais:network",
        description=_("Les 12 relais mois par mois : rapports d'activité reçus, manquants, totaux par quartier."),
        allowed=can_view_consolidated,
        order=45,
    )
)
register(
    NavItem(
        label=_("Mon relais"),
        url_name="relais:list",
        description=_("La page de votre relais : équipe, file active, alertes et rapports d'activité mensuels."),
        allowed=lambda user: bool(is_relais_agent(user)),
        order=45,
    )
)


def _todos(user: object) -> list[Todo]:
    """Home page: last month's report still to send (relais agents), submitted reports to review (coordinator)."""
    todos = []
    pending = selectors.reports_to_send(user)
    if pending:
        month = previous_month(timezone.localdate())
        url = reverse("relais:report", args=[pending[0].public_id, f"{month:%Y-%m}"])
        label = gettext("Rapport d'activité de %(month)s à soumettre") % {"month": f"{month:%m/%Y}"}
        todos.append(Todo(label, len(pending), url))
    to_review = selectors.reports_to_review(user)
    if to_review:
        todos.append(Todo(gettext("Rapports des relais à valider"), to_review, reverse("relais:network")))
    return todos


register_todos(_todos)
