"""What the security tests share: the site's URLs, filled in, and users of each kind."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PASSWORD = "a-long-test-password-7"
# A holding every published version applies to (the spec's worked example).
HOLDING = {"principal": "1000", "consummation": "2003-10-10"}


SAMPLE_ARGUMENTS = {"app_label": "offers"}  # any other argument (an id) gets "1"


def sample_urls() -> dict[str, str]:
    """Every named URL of the site (``admin:login``, ``offers-compare``), its arguments filled in."""
    urls: dict[str, str] = {}

    def arguments(pattern) -> tuple[set[str], int]:
        """Named arguments, and how many unnamed groups (re_path) the pattern has."""
        route = pattern.pattern
        named = set(getattr(route, "converters", {})) | set(route.regex.groupindex)
        return named, route.regex.groups - len(route.regex.groupindex)

    def walk(patterns: list, namespace: str, outer: set[str], outer_unnamed: int) -> None:
        for pattern in patterns:
            named, unnamed = arguments(pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, inner, outer | named, outer_unnamed + unnamed)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if outer_unnamed + unnamed:
                    urls[name] = reverse(name, args=["1"] * (outer_unnamed + unnamed))
                else:
                    urls[name] = reverse(name, kwargs={a: SAMPLE_ARGUMENTS.get(a, "1") for a in outer | named})

    walk(get_resolver().url_patterns, "", set(), 0)
    return urls


def make_user(username: str, *, staff: bool = False, superuser: bool = False) -> User:
    return User.objects.create_user(
        username, f"{username}@example.com", PASSWORD, is_staff=staff or superuser, is_superuser=superuser
    )


def logged_in(user: User, **client_options) -> Client:
    client = Client(**client_options)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def fast_passwords(settings):
    """Hash test passwords cheaply: the real hasher takes most of a second per login by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
