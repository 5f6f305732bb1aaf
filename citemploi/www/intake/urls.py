from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.intake.permissions import can_import
from citemploi.www.intake import views
from citemploi.www.nav import NavItem, register

app_name = "intake"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("deposer/", views.import_upload, name="upload"),
    path("modele-reprise.xlsx", views.history_template, name="history_template"),
    path("<uuid:public_id>/", views.import_detail, name="detail"),
    path("<uuid:public_id>/etat.json", views.import_status, name="status"),
    path("<uuid:public_id>/correspondances/", views.import_mapping, name="mapping"),
    path("<uuid:public_id>/lignes/", views.import_exclude, name="exclude"),
    path("<uuid:public_id>/confirmer/", views.import_confirm, name="confirm"),
    path("<uuid:public_id>/reperer/", views.import_spot, name="spot"),
    path("<uuid:public_id>/annuler/", views.import_undo, name="undo"),
    path("<uuid:public_id>/rapport.<str:fmt>", views.import_report, name="report"),
]

register(
    NavItem(
        label=_("Imports de fichiers"),
        url_name="intake:list",
        description=_("Importer une liste de personnes d'un partenaire ou reprendre le tableau de suivi."),
        allowed=can_import,
        order=40,
    )
)
