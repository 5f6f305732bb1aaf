from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.territory.permissions import can_check_addresses, can_view_territory_map
from citemploi.www.nav import NavItem, register
from citemploi.www.territory import views

app_name = "territory"
urlpatterns = [
    path("adresse/", views.address_check, name="address_check"),
    path("fichier/", views.file_check, name="file_check"),
    path("fichier/<uuid:public_id>/", views.file_job, name="file_job"),
    path("fichier/<uuid:public_id>/etat.json", views.file_job_status, name="file_job_status"),
    path("fichier/<uuid:public_id>/resultat/", views.file_job_download, name="file_job_download"),
    path("carte/", views.territory_map, name="map"),
    path("carte/qpv.geojson", views.qpv_geojson, name="qpv_geojson"),
]

register(
    NavItem(
        label=_("Vérifier une adresse"),
        url_name="territory:address_check",
        description=_("Savoir si une adresse est dans un quartier prioritaire (QPV), carte à l'appui."),
        allowed=can_check_addresses,
        order=30,
    )
)
register(
    NavItem(
        label=_("Vérifier un fichier"),
        url_name="territory:file_check",
        description=_("Ajouter le résultat QPV à chaque ligne d'un fichier CSV ou XLSX."),
        allowed=can_check_addresses,
        order=31,
    )
)
register(
    NavItem(
        label=_("Carte du territoire"),
        url_name="territory:map",
        description=_("Communes et périmètres des quartiers prioritaires."),
        allowed=can_view_territory_map,
        order=32,
    )
)
