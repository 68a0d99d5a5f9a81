"""The Jinja2 environment of the site's pages (``jinja2/``): the page shell and the result page's fragment.

The holder page (``base.html``, ``offers/compare.html`` and its partials, the result
fragment ``offers/_results.html``), the how-we-calculate page and the staff whole-issue
page are Jinja2 because they render on every request; the form's fields and the
assumptions (crispy-forms) and the admin stay Django templates, their HTML handed in
as safe strings. The same functions serve both: the filters and tags of
:mod:`offers.templatetags.offers_format` are registered here by name (a Django simple tag
becomes a global function: ``{% coupon_rows comparison %}`` is ``{{ coupon_rows(comparison) }}``),
``{% url 'name' %}`` is ``{{ url("name") }}``, ``{% static 'path' %}`` is ``{{ static("path") }}``,
and ``|urlencode`` and ``|pluralize`` are Django's.

Output is written as Django's templates write it: values are escaped with Django's rules
(``'`` as ``&#x27;``, ``"`` as ``&quot;``; Jinja's own would write ``&#39;`` and ``&#34;``), and
what is already safe (Django's ``SafeString``, such as the markup of :mod:`offers.render`,
or Jinja's ``Markup``) is written as it is.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import jinja2
from django.template.defaultfilters import pluralize, urlencode
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString

from offers.formatting import change_text
from offers.templatetags.offers_format import (
    assumption,
    basis_points,
    change,
    chart_figure,
    comparison_rows,
    count,
    coupon_rows,
    day,
    decimal,
    exactly,
    money,
    new_york,
    percent,
    precise,
    sensitivity_rows,
    show,
)

FILTERS = {
    "money": money,
    "precise": precise,
    "basis_points": basis_points,
    "exactly": exactly,
    "percent": percent,
    "day": day,
    "count": count,
    "decimal": decimal,
    "new_york": new_york,
    "show": show,
    "change": change,
    "urlencode": urlencode,  # Django's, not Jinja's built-in of the same name: the same output as the DTL filter
    "pluralize": pluralize,  # Django's: ``{{ n|pluralize }}`` is "s" unless n is 1
}
GLOBALS = {
    "chart_figure": chart_figure,
    "comparison_rows": comparison_rows,
    "coupon_rows": coupon_rows,
    "sensitivity_rows": sensitivity_rows,
    "assumption": assumption,
    "static": static,
    "change_text": change_text,
}
# What Django's Jinja2 backend sets when the settings name no ``undefined`` (DebugUndefined with DEBUG on).
BACKEND_DEFAULT_UNDEFINED = (jinja2.Undefined, jinja2.DebugUndefined)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``{{ url("offers-export-csv") }}``: ``{% url 'offers-export-csv' %}``.

    A URL without arguments is kept per script prefix (the fragment asks for the same few on every page).
    """
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return _plain_url(name, get_script_prefix())


@lru_cache(maxsize=256)
def _plain_url(name: str, prefix: str) -> str:
    return reverse(name)  # reverse() reads the script prefix itself; ``prefix`` is only the key


def escape_as_django(value: Any) -> Any:
    """Each ``{{ value }}`` as Django's autoescaping writes it (``conditional_escape``); Jinja's escape runs after.

    Safe markup (anything with ``__html__``) passes unchanged. Text with a quote is escaped
    here, Django's way, and marked safe; other text is left to Jinja's (faster) escape, which
    writes ``&``, ``<`` and ``>`` exactly as Django does.
    """
    if hasattr(value, "__html__"):
        return value
    text = str(value)
    if "'" in text or '"' in text:
        return SafeString(html.escape(text))
    return text


def environment(**options: Any) -> jinja2.Environment:
    # A missing variable or attribute, however deep, is empty, as in a Django template, in
    # development too (the backend's DebugUndefined would print the expression in the page).
    if options.get("undefined") in BACKEND_DEFAULT_UNDEFINED:
        options["undefined"] = jinja2.ChainableUndefined
    options.setdefault("finalize", escape_as_django)
    # A Django template keeps its file's last newline; so does this, so the included partials join alike.
    options.setdefault("keep_trailing_newline", True)
    env = jinja2.Environment(**options)  # noqa: S701 - Django's backend turns autoescape on
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS, url=url)
    return env
