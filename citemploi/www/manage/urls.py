from django.urls import path
from django.utils.translation import gettext_lazy as _

from citemploi.accounts.permissions import can_manage_accounts
from citemploi.www.manage import views
from citemploi.www.nav import NavItem, register

app_name = "manage"
urlpatterns = [
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/nouvelle/", views.structure_edit, name="structure_create"),
    path("structures/<uuid:public_id>/", views.structure_detail, name="structure_detail"),
    path("structures/<uuid:public_id>/modifier/", views.structure_edit, name="structure_edit"),
    path("appartenances/<int:pk>/retirer/", views.membership_deactivate, name="membership_deactivate"),
    path(
        "comptes/<uuid:public_id>/double-authentification/reinitialiser/",
        views.member_second_factor_reset,
        name="member_second_factor_reset",
    ),
]

register(
    NavItem(
        label=_("Structures et comptes"),
        url_name="manage:structure_list",
        description=_(
            "Créer les structures partenaires, ouvrir les comptes de leurs agents et leur attribuer un rôle."
        ),
        allowed=can_manage_accounts,
        order=800,
    )
)
