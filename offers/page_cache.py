"""Rendered fragments of the holder page, cached per process under a key that carries the terms revision.

The key is a digest of what the fragment is a pure function of: the inputs that shape
it and (unless the fragment cannot depend on the terms) the revision from
:func:`offers.services.terms_revision`. So a stale fragment is never served after a
change to the terms, the versions, the Old Notes or the tender reports, on any
process, with no invalidation message between processes: the old key is just not
asked for again and ages out. Django's default cache is per-process memory
(LocMemCache, settings.CACHES); a shared cache would work unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.utils.safestring import SafeString

PREFIX = "offers-page:"
TIMEOUT_SECONDS = 600


class Fragments:
    """``fragments.get(key_parts, build)``: the cached HTML for the parts, or ``build()`` rendered and kept."""

    def __init__(self, revision: str, *, enabled: bool = True) -> None:
        self.revision = revision
        self.enabled = enabled

    def key(self, parts: Hashable, revision: bool = True) -> str:
        text = repr((self.revision if revision else None, parts))
        return PREFIX + hashlib.sha256(text.encode()).hexdigest()

    def get(self, parts: Hashable, build: Callable[[], SafeString], *, revision: bool = True) -> SafeString:
        """``build`` renders a template (autoescaped, a SafeString); the cache keeps it as a SafeString."""
        if not self.enabled:
            return build()
        key = self.key(parts, revision)
        html = cache.get(key)
        if html is None:
            html = build()
            cache.set(key, html, TIMEOUT_SECONDS)
        return html
