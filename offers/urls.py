from django.urls import path

from offers import views

urlpatterns = [
    path("", views.compare, name="offers-compare"),
    path("api/outcome", views.api_outcome, name="offers-api-outcome"),
    path("api/holdings", views.api_holdings, name="offers-api-holdings"),
    path("api/openapi.json", views.api_openapi, name="offers-api-openapi"),
    path("export.csv", views.export_csv, name="offers-export-csv"),
    path("calendar.ics", views.calendar, name="offers-calendar"),
    path("details", views.details, name="offers-details"),
    path("estimate", views.estimate, name="offers-estimate"),
    path("holdings", views.holdings_page, name="offers-holdings"),
    path("how-we-calculate", views.how_we_calculate, name="offers-how-we-calculate"),
]
