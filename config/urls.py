from django.urls import include, path

urlpatterns = [
    path("", include("citemploi.www.site.urls")),
    path("comptes/", include("citemploi.www.accounts.urls")),
    path("proconnect/", include("citemploi.www.accounts.proconnect_urls")),
    path("audit/", include("citemploi.www.audit.urls")),
    path("gestion/", include("citemploi.www.manage.urls")),
    path("personnes/", include("citemploi.www.pathways.urls")),
    path("dispositifs/", include("citemploi.www.schemes.urls")),
    path("api/", include("citemploi.api.urls")),
    path("offre/", include("citemploi.www.partners.urls")),
    path("cite/", include("citemploi.www.public.urls")),
    path("territoire/", include("citemploi.www.territory.urls")),
    path("pilotage/", include("citemploi.www.governance.urls")),
    path("evaluation/", include("citemploi.www.evaluation.urls")),
    path("imports/", include("citemploi.www.intake.urls")),
    path("relais/", include("citemploi.www.relais.urls")),
]

handler404 = "citemploi.api.errors.not_found"
handler500 = "citemploi.www.site.errors.server_error"
