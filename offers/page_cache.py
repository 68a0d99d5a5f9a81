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

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.core.cache import cache, caches
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PREFIX = "offers-page:"
# Small fragments asked for again and again (form fields, the key dates of a consummation date)
# live apart from the whole results, which a new holding never reads again: in one cache they
# would push the small ones out (LocMemCache drops the least recently used).
PARTS = "page-parts"
TIMEOUT_SECONDS = 600
# Stands for the typed value while a text field's markup is rendered for the cache.
VALUE_MARK = "exchange-outcome-typed-value-3f9c1e"


class Fragments:
    """``fragments.get(key_parts, build)``: the cached HTML for the parts, or ``build()`` rendered and kept."""

    def __init__(self, revision: str, *, enabled: bool = True) -> None:
        self.revision = revision
        self.enabled = enabled

    def key(self, parts: Hashable, revision: bool = True) -> str:
        text = repr((self.revision if revision else None, parts))
        return PREFIX + hashlib.sha256(text.encode()).hexdigest()

    def get(self, parts: Hashable, build: Callable[[], SafeString], *, revision: bool = True,
            small: bool = True) -> SafeString:
        """``build`` renders a template (autoescaped, a SafeString); the cache keeps it as a SafeString.

        ``small=False`` for the whole results (the default cache); small parts go to :data:`PARTS`.
        """
        if not self.enabled:
            return build()
        store = caches[PARTS] if small else cache
        key = self.key(parts, revision)
        html = store.get(key)
        if html is None:
            html = build()
            store.set(key, html, TIMEOUT_SECONDS)
        return html

    def field(self, form: forms.Form, name: str) -> SafeString:
        """One field of ``form`` as crispy-forms renders it (``as_crispy_field``), from the cache where it can be.

        A text or date input's markup depends on the typed value only through its
        ``value`` attribute, so it is rendered (and kept) once per field, bound or not,
        and errors, with a mark in place of the value, and the value (escaped, as the
        widget's template would) is put where the mark is. Other widgets (the radio
        buttons) are kept per value typed.
        """
        bound = form[name]
        errors = tuple(form.errors.get(name, ()))
        widget = bound.field.widget
        if isinstance(widget, forms.widgets.Input) and not isinstance(widget, forms.CheckboxInput):
            shown = widget.format_value(bound.value())
            if shown is not None:
                markup = self.get(("field", name, form.is_bound, VALUE_MARK, errors), lambda: _with_mark(bound))
                attribute = f'value="{VALUE_MARK}"'
                if markup.count(attribute) != 1:  # the mark is not just the value attribute: no shortcut
                    return as_crispy_field(bound)
                return mark_safe(markup.replace(attribute, f'value="{escape(shown)}"'))  # noqa: S308 - escaped here
            typed = None  # nothing shown: the markup is the same whatever was typed
        else:
            typed = form.data.get(name) if form.is_bound else None
        return self.get(("field", name, form.is_bound, typed, errors), lambda: as_crispy_field(bound))


def _with_mark(bound: forms.BoundField) -> SafeString:
    """The field's markup with :data:`VALUE_MARK` as its value (the widget is the form's own copy)."""
    widget = bound.field.widget
    widget.format_value = lambda value: VALUE_MARK  # type: ignore[method-assign]
    try:
        return as_crispy_field(bound)
    finally:
        del widget.format_value


def clear() -> None:
    """Forget every kept fragment, whole results and small parts (this process only)."""
    cache.clear()
    caches[PARTS].clear()
