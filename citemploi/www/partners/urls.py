from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.partners.permissions import can_moderate, can_view_census
from citemploi.www.nav import NavItem, register
from citemploi.www.partners import views_actions, views_census, views_directory, views_offer

app_name = "partners"
urlpatterns = [
    path("", views_directory.directory, name="directory"),
    path("structures/<uuid:public_id>/", views_directory.structure, name="structure"),
    path("structures/<uuid:public_id>/profil/", views_directory.profile_edit, name="profile_edit"),
    path("structures/<uuid:structure_id>/services/nouveau/", views_offer.service_form, name="service_create"),
    path("structures/<uuid:structure_id>/actions/nouvelle/", views_offer.action_form, name="action_create"),
    path("services/<uuid:public_id>/", views_offer.service_detail, name="service"),
    path("services/<uuid:public_id>/modifier/", views_offer.service_form, name="service_edit"),
    path("actions/<uuid:public_id>/", views_actions.action_detail, name="action"),
    path("actions/<uuid:public_id>/modifier/", views_offer.action_form, name="action_edit"),
    path("actions/<uuid:public_id>/seances/", views_actions.session_add, name="session_add"),
    path("actions/<uuid:public_id>/financements/", views_actions.funder_add, name="funder_add"),
    path("actions/<uuid:public_id>/resultats/", views_actions.results, name="results"),
    path("actions/<uuid:public_id>/inscriptions/", views_actions.registration_create, name="registration_add"),
    path("actions/<uuid:public_id>/presences/", views_actions.attendance, name="attendance"),
    path("agenda/", views_actions.calendar, name="calendar"),
    path("carte/", views_directory.map_page, name="map"),
    path("carte/donnees.json", views_directory.map_data, name="map_data"),
    path("completude/", views_census.completeness_view, name="completeness"),
    path("couverture/", views_census.coverage, name="coverage"),
    path("export/<slug:what>.<slug:fmt>", views_census.export, name="export"),
    path("moderation/", views_census.moderation, name="moderation"),
    path("moderation/<uuid:public_id>/", views_census.revision, name="revision"),
]

register(
    NavItem(
        label=_("Annuaire de l'offre"),
        url_name="partners:directory",
        description=_(
            "Structures, services et actions du territoire : recherche par thématique, public, QPV, horaires."
        ),
        allowed=can_view_census,
        order=200,
    )
)
register(
    NavItem(
        label=_("Agenda des actions"),
        url_name="partners:calendar",
        description=_("Ateliers, job datings, forums et sessions du mois, avec inscriptions et présences."),
        allowed=can_view_census,
        order=210,
    )
)
register(
    NavItem(
        label=_("Couverture des QPV"),
        url_name="partners:coverage",
        description=_(
            "Services et actions accessibles aux habitants de chaque QPV, par thématique ; complétude des fiches."
        ),
        allowed=can_view_census,
        order=220,
    )
)
register(
    NavItem(
        label=_("Modération de l'offre"),
        url_name="partners:moderation",
        description=_("Valider les services et actions proposés par les partenaires avant publication."),
        allowed=can_moderate,
        order=230,
    )
)
