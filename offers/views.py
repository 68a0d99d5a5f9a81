"""The holder-facing pages: bind the form, call the core through the services, render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from offers import explanation, holdings, services
from offers.core.contract import cash_flow_rows, outcome_to_contract
from offers.core.valuation import ASSUMPTION_PARSERS, add_valuation_to_contract, value_outcome
from offers.core.versions import answer, outcome
from offers.forms import CompareForm, EstimateForm, EstimatePageForm, OutcomeForm

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


@read_only
def compare(request: HttpRequest) -> HttpResponse:
    if any(name in request.GET for name in ASSUMPTION_PARSERS):  # a link from when the estimate was on this page
        return estimate(request)
    stored = services.holder_data(request)
    published = stored.published
    form = CompareForm(_submitted(request), terms=published.terms)
    context: dict[str, object] = {"form": form, "published": published, "today": timezone.localdate(),
                                  "date_hints": services.date_hints(published.terms)}
    if not form.is_valid():  # the form alone, and the tender against the latest version
        context["tender"] = services.tender_status(stored.report, published.terms)
        return render(request, "offers/compare.html", context, status=400 if form.is_bound else 200)
    holding = form.holding()
    context |= {"holding": holding, "tendered": form.cleaned_data["tendered"], "tendered_label": form.tendered_label(),
                "query": _links_query(request, form), "page": services.holder_page(stored, holding)}
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
    result = answer(published.terms, holding)  # before the offer expires, the figures date's, like the answer (rule 11)
    context |= {"holding": holding, "query": _links_query(request, form),
                "figures_for": result.holding.consummation if result.figures_moved else None,
                "estimate": services.estimate(result, inputs) if inputs.given else None}
    return render(request, "offers/estimate.html", context)


@read_only
def details(request: HttpRequest) -> HttpResponse:
    stored = services.holder_data(request)
    form = OutcomeForm(request.GET, terms=stored.published.terms)
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
    if published.left_out:  # said only when it happens, so the usual document keeps the spec's keys
        document["left_out"] = [{"slug": v.slug, "name": v.name, "note": services.LEFT_OUT_NOTE}
                                for v in published.left_out]
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
    if slug in {v.slug for v in published.left_out}:
        return HttpResponse(f"version: {services.LEFT_OUT_NOTE} {choose}\n", status=404,
                            content_type="text/plain; charset=utf-8")
    if slug not in slugs:
        # The unknown name is not echoed back: a link could carry markup in it.
        return HttpResponse(f"version: there is no published version by that name; {choose}\n", status=404,
                            content_type="text/plain; charset=utf-8")
    form = OutcomeForm(request.GET, terms=published.terms)
    if not form.is_valid():
        return HttpResponse(_error_text(form), status=400, content_type="text/plain; charset=utf-8")
    result = answer(published.terms, form.holding())  # before the offer expires, the figures date's (rule 11)
    version = next(v for v in result.versions if v.slug == slug)
    if not version.available:
        return HttpResponse(f"version: {version.unavailable_reason}\n", status=400,
                            content_type="text/plain; charset=utf-8")
    calendar = services.payment_calendar(version, timezone.now(), replaced_by=result.replaced_by(version),
                                         asked=result.asked)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lexington-{slug}-payments.ics"'
    return response


@read_only
def how_we_calculate(request: HttpRequest) -> HttpResponse:
    published = services.versions_for(request)
    return render(request, "offers/how_we_calculate.html",
                  {"published": published, "explanation": explanation.explain(published.terms)})


@csrf_exempt  # checked below, once the request's length is known to be within the page's limit
@require_http_methods(["GET", "HEAD", "POST"])
def holdings_page(request: HttpRequest) -> HttpResponse:
    """Many accounts at once: a file or pasted rows in; totals, the allocation check, the accounts and downloads out.

    Nothing is stored: the downloads post the same rows back and are computed again (offers/holdings.py). A
    request over the size limit is refused by its length before anything reads its body (the CSRF check would).
    """
    published = services.versions_for(request)
    context: dict[str, object] = {"published": published, "limits": holdings.LIMITS,
                                  "date_hints": services.date_hints(published.terms)}
    if request.method == "POST" and (problem := holdings.request_too_large(request)):
        context |= {"form": holdings.HoldingsForm(terms=published.terms), "problems": [problem], "unlisted": 0}
        return holdings.private(render(request, "offers/holdings.html", context, status=413))
    return _holdings_page(request, published, context)


@csrf_protect
def _holdings_page(request: HttpRequest, published: services.Published, context: dict[str, object]) -> HttpResponse:
    if request.method != "POST":
        context["form"] = holdings.HoldingsForm(terms=published.terms)
        return holdings.private(render(request, "offers/holdings.html", context))
    form = holdings.HoldingsForm(request.POST, terms=published.terms)
    outstanding = published.terms[0].old_notes.outstanding if published.terms else Decimal(0)
    parsed, text = holdings.parse_posted(request, outstanding)
    context |= {"form": form, "pasted": request.POST.get(holdings.ROWS_FIELD, "")}
    if not form.is_valid() or not parsed.ok:
        context |= {"problems": parsed.errors, "unlisted": parsed.unlisted}
        return holdings.private(render(request, "offers/holdings.html", context, status=400))
    consummation = form.cleaned_data["consummation"]
    if (download := request.POST.get("format")) in ("csv", "xlsx"):
        return holdings.download(download, published.terms, parsed.accounts, consummation)
    result = holdings.book(published.terms, parsed.accounts, consummation, keep=holdings.ROWS_SHOWN)
    context |= {"book": result, "rows_text": text, **holdings.page_context(result)}
    return holdings.private(render(request, "offers/holdings.html", context))
