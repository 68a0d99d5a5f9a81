"""The form's fields come from the cache with the typed value put in: the markup must be crispy-forms' own."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offers import page_cache, services
from offers.forms import CompareForm

pytestmark = pytest.mark.django_db
CHECK = settings(max_examples=300, derandomize=True, database=None, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])
typed = st.one_of(
    st.sampled_from(["1000", "$27,412,000", "2003-10-10", "10/10/2003", "Oct 10, 2003", "", " ", "0", "-5",
                     '"><script>alert(1)</script>', "a&b 'c' \"d\"", page_cache.VALUE_MARK]),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}"),
    st.dates().map(lambda d: d.isoformat()),
    st.text(max_size=40),
)
queries = st.fixed_dictionaries({}, optional={"principal": typed, "consummation": typed, "tendered": typed})


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return services.versions_for(RequestFactory().get("/"))


@CHECK
@given(query=queries)
def test_every_field_from_the_cache_is_what_crispy_forms_renders(published, query):
    data = QueryDict(urlencode(query)) if query else None
    form = CompareForm(data, terms=published.terms)
    form.is_valid() if form.is_bound else None
    fragments = page_cache.Fragments("revision")
    for name in ("principal", "consummation", "tendered"):
        for _ in range(2):  # once built (or already kept by an earlier example), once read back
            assert fragments.field(form, name) == as_crispy_field(form[name]), name


def test_a_new_principal_reuses_the_kept_markup(monkeypatch):
    page_cache.clear()
    builds = []
    real = page_cache._with_mark
    monkeypatch.setattr(page_cache, "_with_mark", lambda bound: builds.append(bound.name) or real(bound))
    published = services.versions_for(RequestFactory().get("/"))
    fragments = page_cache.Fragments("revision")
    for principal in ("1000", "2000", "3,000"):
        form = CompareForm(QueryDict(f"principal={principal}"), terms=published.terms)
        assert form.is_valid()
        assert f'value="{principal}"' in fragments.field(form, "principal")
    assert builds == ["principal"]
