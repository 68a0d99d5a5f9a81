from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself: connects the lockout counter (lexp_site/metrics.py) to django-axes."""

    name = "lexp_site"
    label = "lexp_site"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from lexp_site.metrics import count_lockout

        user_locked_out.connect(count_lockout, dispatch_uid="lexp_site.metrics.count_lockout")
