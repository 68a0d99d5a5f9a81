from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("offers.staff_urls")),
    path("", include("offers.urls")),
]
