"""Staff-only pages (the whole-issue check)."""

from django.urls import path

from offers import staff_views

urlpatterns = [
    path("issue", staff_views.issue, name="offers-staff-issue"),
]
