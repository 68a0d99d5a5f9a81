from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lexp_site import bench, staff_session
from lexp_site.health import healthz
from lexp_site.readiness import readyz

urlpatterns = [
    path("healthz", healthz, name="offers-healthz"),
    path("readyz", readyz, name="offers-readyz"),  # database and one holding rendered (lexp_site/readiness.py)
    path("admin/", admin.site.urls),
    path("staff/session", staff_session.refresh, name="staff-session-refresh"),
    path("staff/", include("offers.staff_urls")),
    path("", include("offers.urls")),
]
if settings.BENCH_BASELINE:
    urlpatterns.append(path("bench/trivial", bench.trivial, name="bench-trivial"))

handler400 = "lexp_site.errors.bad_request"
