"""The holder-facing pages: bind the form, call the core through the services, render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from offers import explanation, services
from offers.core.contract import cash_flow_rows, outcome_to_contract
from offers.core.valuation import ASSUMPTION_PARSERS, add_valuation_to_contract, value_outcome
from offers.core.versions import outcome
from offers.forms import CompareForm, EstimateForm, EstimatePageForm, HolderForm, OutcomeForm

FORM_FIELDS = ("principal", "consummation", "tendered")


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only; anything else is 405 (not the CSRF 403: these views change nothing)."""
    return csrf_exempt(require_safe(view))


def _error_text(form: OutcomeForm) -> str:
    return "\n".join(message for messages in form.errors.values() for message in messages) + "\n"


def _submitted(request: HttpRequest) -> QueryDict | None:
    """The query, once the holder has submitted the form: a first visit gets the form alone, not a page of errors."""
    return request.GET if any(name in request.GET for name in FORM_FIELDS) else None


def _links_query(request: HttpRequest, form: OutcomeForm) -> str:
    """The holding as typed, for the links to its details and exports (a staff preview follows its links)."""
    query = form.query()
    if request.GET.get("preview"):
        query["preview"] = request.GET["preview"]
    return urlencode(query)


@cache
def _paths() -> dict[str, str]:
    """Where the answer's links go, reversed once per process (the URLs are fixed; a page writes ten links)."""
    names = {"details": "offers-details", "estimate": "offers-estimate", "csv": "offers-export-csv",
             "calendar": "offers-calendar", "api": "offers-api-outcome"}
    return {key: reverse(name) for key, name in names.items()}


def _figures_query(links: str, page: services.HolderPage) -> str:
    """The links' query with the date the figures are for: the exports and the estimate take the date as given,
    so when the answer moved the figures to the version's figures date (rule 11) their links carry that date."""
    result = page.outcome
    if not result.figures_moved:
        return links
    query = QueryDict(links, mutable=True)
    query["consummation"] = result.holding.consummation.isoformat()
    return query.urlencode()


@read_only
def compare(request: HttpRequest) -> HttpResponse:
    """The form on a first visit (and behind the answer's Change link, ``&change=1``, filled in); once the form is
    submitted and valid, the answer alone ("check your answers": the holding in one line, no form)."""
    if any(name in request.GET for name in ASSUMPTION_PARSERS):  # a link from when the estimate was on this page
        return estimate(request)
    stored = services.holder_data(request)
    published = stored.published
    form = CompareForm(_submitted(request), terms=published.terms)
    context: dict[str, object] = {"form": form, "published": published, "today": timezone.localdate(),
                                  "contact": explanation.contact()}
    if not form.is_valid() or "change" in request.GET:  # the form, and the offer's deadline and conditions
        context |= {"date_hints": services.date_hints(published.terms),
                    "tender": services.tender_status(stored.report, published.terms),
                    "latest": published.terms[-1] if published.terms else None}
        return render(request, "offers/compare.html", context, status=400 if form.errors else 200)
    holding = form.holding()
    query = _links_query(request, form)
    page = services.holder_page(stored, holding)
    tendered = form.cleaned_data["tendered"]
    context |= {"holding": holding, "tendered": tendered, "tendered_label": form.tendered_label(),
                "summary": form.summary(), "query": query, "figures_query": _figures_query(query, page),
                "change_query": f"{query}&{urlencode({'tendered': tendered, 'change': '1'})}",
                "page": page, "paths": _paths()}
    return render(request, "offers/compare.html", context)


@read_only
def estimate(request: HttpRequest) -> HttpResponse:
    """What each version is worth under the holder's own assumptions: its own page, linked from the answer."""
    published = services.versions_for(request)
    form = EstimatePageForm(_submitted(request), terms=published.terms, shares_outstanding=published.shares_outstanding)
    context: dict[str, object] = {"form": form, "published": published, "today": timezone.localdate(),
                                  "date_hints": services.date_hints(published.terms)}
    if not form.is_valid():
        return render(request, "offers/estimate.html", context, status=400 if form.is_bound else 200)
    holding, inputs = form.holding(), form.valuation_inputs()
    context |= {"holding": holding, "query": _links_query(request, form),
                "estimate": services.estimate(outcome(published.terms, holding), inputs) if inputs.given else None}
    return render(request, "offers/estimate.html", context)


@read_only
def details(request: HttpRequest) -> HttpResponse:
    stored = services.holder_data(request)
    form = HolderForm(request.GET, terms=stored.published.terms)
    if not form.is_valid():  # the holder page says what is wrong, field by field
        return redirect(f"{reverse('offers-compare')}?{request.GET.urlencode()}")
    holding = form.holding()
    return render(request, "offers/details.html", {
        "published": stored.published, "today": timezone.localdate(), "holding": holding,
        "query": _links_query(request, form), "details": services.details(stored, holding)})


@read_only
def api_outcome(request: HttpRequest) -> JsonResponse:
    try:
        published = services.versions_for(request)
    except Http404:  # ?preview= from anyone but staff, or naming no draft: say so in the API's own format
        return JsonResponse({"errors": {"preview": ["preview: only staff can preview a draft version, by its slug."]}},
                            status=404)
    form = EstimateForm(request.GET, terms=published.terms, shares_outstanding=published.shares_outstanding)
    if not form.is_valid():
        return JsonResponse({"errors": {name: list(messages) for name, messages in form.errors.items()}}, status=400)
    result = outcome(published.terms, form.holding())
    document = outcome_to_contract(result)
    inputs = form.valuation_inputs()
    if inputs.given:
        valuation = value_outcome(result, inputs)
        document = add_valuation_to_contract(document, valuation.versions, valuation.comparison)
    return JsonResponse(document)


@read_only
def export_csv(request: HttpRequest) -> HttpResponse:
    published = services.versions_for(request)
    form = OutcomeForm(request.GET, terms=published.terms)
    if not form.is_valid():
        return HttpResponse(_error_text(form), status=400, content_type="text/plain; charset=utf-8")
    holding = form.holding()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lexington-exchange-{holding.principal}-{holding.consummation.isoformat()}.csv"'
    )
    csv.writer(response).writerows(cash_flow_rows(outcome(published.terms, holding)))
    return response


@read_only
def calendar(request: HttpRequest) -> HttpResponse:
    published = services.versions_for(request)
    slugs = [terms.slug for terms in published.terms]
    slug = request.GET.get("version", "")
    choose = f"choose one of the published versions: {', '.join(slugs) or 'none is published yet'}."
    if not slug:
        return HttpResponse(f"version: {choose}\n", status=400, content_type="text/plain; charset=utf-8")
    if slug not in slugs:
        # The unknown name is not echoed back: a link could carry markup in it.
        return HttpResponse(f"version: there is no published version by that name; {choose}\n", status=404,
                            content_type="text/plain; charset=utf-8")
    form = OutcomeForm(request.GET, terms=published.terms)
    if not form.is_valid():
        return HttpResponse(_error_text(form), status=400, content_type="text/plain; charset=utf-8")
    result = outcome(published.terms, form.holding())
    version = next(v for v in result.versions if v.slug == slug)
    if not version.available:
        return HttpResponse(f"version: {version.unavailable_reason}\n", status=400,
                            content_type="text/plain; charset=utf-8")
    calendar = services.payment_calendar(version, timezone.now(), replaced_by=result.replaced_by(version))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lexington-{slug}-payments.ics"'
    return response


@read_only
def how_we_calculate(request: HttpRequest) -> HttpResponse:
    published = services.versions_for(request)
    return render(request, "offers/how_we_calculate.html",
                  {"published": published, "explanation": explanation.explain(published.terms)})
