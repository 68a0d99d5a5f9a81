"""Staff-only pages (the whole-issue check)."""

urlpatterns: list = []
