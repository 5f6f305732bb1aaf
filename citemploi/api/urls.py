"""REST API v1. Each domain adds its routes here; every view scopes its queryset to the requesting user."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from citemploi.api import partners, pathways_urls
from citemploi.api.evaluation import IndicatorsView

app_name = "api"
urlpatterns = [
    # The schema is public documentation of the contract, not data.
    path("v1/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    *partners.urlpatterns,
    *pathways_urls.urlpatterns,
    path("v1/indicators/", IndicatorsView.as_view(), name="indicators"),
]
