from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.schemes.permissions import can_view_catalogue, can_view_veille
from citemploi.www.nav import NavItem, register
from citemploi.www.schemes import practices, veille, views

app_name = "schemes"
urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("<uuid:public_id>/", views.scheme_detail, name="detail"),
    path("<uuid:public_id>/parametres/<slug:key>/", views.parameter_edit, name="parameter_edit"),
    path("<uuid:public_id>/validite/", views.validity_edit, name="validity_edit"),
    path("veille/", veille.veille_list, name="veille"),
    path("veille/nouvelle/", veille.veille_edit, name="veille_create"),
    path("veille/flux.atom", veille.VeilleFeed(), name="veille_feed"),
    # Public: the signed token in the address stands for the login a feed reader cannot perform.
    path("veille/flux/<str:token>.atom", login_not_required(veille.PersonalVeilleFeed()), name="veille_feed_personal"),
    path("veille/flux/regenerer/", veille.veille_feed_regenerate, name="veille_feed_regenerate"),
    path("veille/<uuid:public_id>/", veille.veille_detail, name="veille_detail"),
    path("veille/<uuid:public_id>/modifier/", veille.veille_edit, name="veille_edit"),
    path("veille/<uuid:public_id>/publier/", veille.veille_publish, name="veille_publish"),
    path("bonnes-pratiques/", practices.practice_list, name="practices"),
    path("bonnes-pratiques/nouvelle/", practices.practice_create, name="practice_create"),
    path("bonnes-pratiques/<uuid:public_id>/", practices.practice_detail, name="practice_detail"),
    path("bonnes-pratiques/<uuid:public_id>/modifier/", practices.practice_edit, name="practice_edit"),
    path("bonnes-pratiques/pieces/<uuid:public_id>/", practices.attachment_download, name="attachment"),
]

register(
    NavItem(
        label=_("Dispositifs"),
        url_name="schemes:list",
        description=_("Catalogue des dispositifs de droit commun, leurs règles en vigueur et leur historique."),
        allowed=can_view_catalogue,
        order=300,
    )
)
register(
    NavItem(
        label=_("Veille"),
        url_name="schemes:veille",
        description=_("Évolutions des dispositifs de l'emploi et bibliothèque de bonnes pratiques."),
        allowed=can_view_veille,
        order=310,
    )
)
