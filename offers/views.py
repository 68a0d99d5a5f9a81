"""The holder-facing pages: bind the form, call the core through the services, render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from offers import explanation, page_cache, pictures, services
from offers.core.contract import money as contract_money
from offers.core.contract import outcome_to_contract
from offers.core.outcome import Holding, untendered_claim
from offers.core.valuation import ASSUMPTION_PARSERS, ValuationInputs, add_valuation_to_contract, value_outcome
from offers.core.versions import Outcome, outcome
from offers.forms import CompareForm, OutcomeForm
from offers.models import TenderReport

FORM_FIELDS = ("principal", "consummation", "tendered")


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only; anything else is 405 (not the CSRF 403: these views change nothing)."""
    return csrf_exempt(require_safe(view))


def _error_text(form: OutcomeForm) -> str:
    return "\n".join(message for messages in form.errors.values() for message in messages) + "\n"


@read_only
def compare(request: HttpRequest) -> HttpResponse:
    stored = services.holder_data(request)
    published, report = stored.published, stored.report
    # A first visit (no field in the query) gets the form alone, not a page of errors.
    data = request.GET if any(name in request.GET for name in FORM_FIELDS) else None
    form = CompareForm(data, terms=published.terms, shares_outstanding=published.shares_outstanding)
    # Fragments are cached under the revision of every row they show, so a change to the terms,
    # the versions, the Old Notes or the tender reports makes new keys on every process (nothing
    # to invalidate). A staff preview is never cached: a draft must not reach a holder.
    fragments = page_cache.Fragments(stored.revision, enabled=not published.preview)
    context: dict[str, object] = {
        "form": form,
        "published": published,
        "today": timezone.localdate(),
    }
    valid = form.is_valid() if form.is_bound else False
    results: dict[str, object] = {"published": published}
    if valid:
        holding = form.holding()
        inputs = form.valuation_inputs()
        context |= {"holding": holding, "tendered_label": form.tendered_label()}
        results |= {"tendered": form.cleaned_data["tendered"], "export_query": urlencode(form.query())}
        context["results_html"] = fragments.get(
            ("results", holding.principal, holding.consummation, inputs, results["tendered"], results["export_query"]),
            lambda: render_results(results | _results_context(published, holding, inputs, report, fragments)),
            small=False)
    else:
        context["results_html"] = fragments.get(("results",), lambda: render_results(
            results | {"tender": services.tender_status(report, published.terms)}), small=False)
    # Each field's markup depends only on what was typed in it, its errors and the terms (the date's
    # bounds), so each is cached on its own, the typed value put in afterwards (page_cache.Fragments.field).
    typed = form.data.get if form.is_bound else (lambda name: None)
    fields_html = [fragments.field(form, name) for name in FORM_FIELDS]
    context["form_html"] = fragments.get(("form-row", tuple(fields_html)), lambda: render_to_string(
        "offers/_form_fields.html", {"fields": fields_html, "date_hints": services.date_hints(published.terms)}))
    is_open = (valid and form.valuation_inputs().given) or (form.is_bound and form.assumption_errors())
    context["assumptions_html"] = fragments.get(
        ("assumptions", tuple(typed(name) for name in ASSUMPTION_PARSERS), is_open),
        lambda: render_to_string("offers/_assumptions.html", {"form": form, "assumptions_open": is_open}),
        revision=False)
    return render(request, "offers/compare.html", context, status=200 if valid or not form.is_bound else 400)


def render_fragment(template_name: str, context: dict[str, object]) -> SafeString:
    """A part of the page as safe HTML (a Jinja2 template returns a plain string; it escapes what it writes)."""
    return mark_safe(render_to_string(template_name, context))  # noqa: S308 - the template escapes


def render_results(context: dict[str, object]) -> SafeString:
    """Everything below the form (offers/_results.html and what it includes)."""
    return render_fragment("offers/_results.html", context)


def _results_context(published: services.Published, holding: Holding, inputs: ValuationInputs,
                     report: TenderReport | None, fragments: page_cache.Fragments) -> dict[str, object]:
    result = outcome(published.terms, holding)
    return {
        "comparison": services.comparison(result),
        "pictures": pictures.for_outcome(published.terms, result),
        # The key dates depend on the terms and the consummation date only: kept per date.
        "timeline_html": fragments.get(("timeline", holding.consummation), lambda: render_fragment(
            "offers/_timeline.html", {"timeline": pictures.timeline(result)})),
        "valuation": _valuation_context(result, inputs) if inputs.given else None,
        "claim": untendered_claim(published.terms[-1].old_notes, holding),
        "tender": services.tender_status(report, published.terms, holding.consummation),
    }


def _valuation_context(result: Outcome, inputs: ValuationInputs) -> dict[str, object]:
    valuation = value_outcome(result, inputs)
    return {
        "inputs": inputs,
        "versions": services.valued_versions(result, valuation),
        "comparison": valuation.comparison,
        "better_name": services.version_name(result, valuation.comparison.better_version),
        "in_force_slug": result.in_force.slug if result.in_force else None,
        "table": valuation.table,
        "table_versions": result.versions,
        "chart": pictures.present_value_chart(result, valuation),
    }


@read_only
def api_outcome(request: HttpRequest) -> JsonResponse:
    try:
        published = services.versions_for(request)
    except Http404:  # ?preview= from anyone but staff, or naming no draft: say so in the API's own format
        return JsonResponse({"errors": {"preview": ["preview: only staff can preview a draft version, by its slug."]}},
                            status=404)
    form = OutcomeForm(request.GET, terms=published.terms, shares_outstanding=published.shares_outstanding)
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
    writer = csv.writer(response)
    writer.writerow(["version", "paid_on", "kind", "amount"])
    for version in outcome(published.terms, holding).versions:
        for flow in version.cash_flows():
            writer.writerow([version.slug, flow.paid_on.isoformat(), flow.kind, contract_money(flow.amount)])
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
