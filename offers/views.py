"""The holder-facing pages: bind the form, call the core through the services, render."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from offers import explanation, holdings, services
from offers.core.contract import cash_flow_rows, outcome_to_contract
from offers.core.holdings import MAX_ACCOUNTS, ParsedAccounts, Problem, too_many_bytes
from offers.core.terms import OfferTerms
from offers.core.valuation import ASSUMPTION_PARSERS, add_valuation_to_contract, value_outcome
from offers.core.versions import answer, outcome
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
    result = answer(published.terms, holding)  # before the offer expires, the figures date's, like the answer (rule 11)
    context |= {"holding": holding, "query": _links_query(request, form),
                "figures_for": result.holding.consummation if result.figures_moved else None,
                "estimate": services.estimate(result, inputs) if inputs.given else None}
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


def _api_versions(request: HttpRequest) -> services.Published | JsonResponse:
    try:
        return services.versions_for(request)
    except Http404:  # ?preview= from anyone but staff, or naming no draft: say so in the API's own format
        return JsonResponse({"errors": {"preview": ["preview: only staff can preview a draft version, by its slug."]}},
                            status=404)


@read_only
def api_outcome(request: HttpRequest) -> JsonResponse:
    published = _api_versions(request)
    if isinstance(published, JsonResponse):
        return published
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
        return holdings.download(download, published.terms, parsed, consummation)
    result = holdings.book(published.terms, parsed, consummation, keep=holdings.ROWS_SHOWN)
    context |= {"book": result, "rows_text": text, **holdings.page_context(result)}
    return holdings.private(render(request, "offers/holdings.html", context))


# --- POST /api/holdings -------------------------------------------------------------------------------------

HOLDINGS_CONTENT_TYPES = ("text/csv", "application/json")
_JSON_ACCOUNT_KEYS = ("account", "principal", "tendered")
_JSON_EXAMPLE = ('{"consummation": "2003-10-10", "accounts": [{"account": "A-17", "principal": "100000", '
                 '"tendered": true}]}')
_MAX_SHAPE_PROBLEMS = 50


def _api_errors(errors: dict[str, list[str]], status: int = 400) -> HttpResponse:
    return holdings.private(JsonResponse({"errors": errors}, status=status))


def _listed(parsed: ParsedAccounts, describe: Callable[[Problem], str]) -> list[str]:
    """The problems listed (at most 50, as the page lists them) and a count of the rest."""
    messages = [describe(problem) for problem in parsed.errors]
    if parsed.unlisted:
        messages.append(f"and {parsed.unlisted:,} more problems not listed ({parsed.error_count:,} in all).")
    return messages


def _one_line(text: str) -> bool:
    return "\x00" not in text and len(text.splitlines()) <= 1


def _json_as_csv(body: object) -> tuple[str, str | None] | dict[str, list[str]]:
    """A JSON body as the CSV the one parser reads (a header, then a line per account) and its consummation date,
    or what is wrong with the body's shape. The rules for the values are the parser's: a JSON account gets the
    messages a file's line gets."""
    if not isinstance(body, dict) or not isinstance(body.get("accounts"), list):
        return {"request": [f"request: send a JSON object with a list of accounts, such as {_JSON_EXAMPLE}."]}
    if unknown := sorted(set(body) - {"consummation", "accounts"}):
        return {"request": [f"request: unknown field {unknown[0]!r}; the fields are consummation and accounts."]}
    accounts, consummation = body["accounts"], body.get("consummation")
    if len(accounts) > MAX_ACCOUNTS:  # before any account is read
        return {"accounts": [f"accounts: {len(accounts):,} accounts; the API takes up to {MAX_ACCOUNTS:,} (and 10 MB). "
                             f"For a larger book use the command line: manage.py outcome --holders FILE.csv."]}
    if not accounts:
        return {"accounts": [f"accounts: the list is empty; send an object per account, such as {_JSON_EXAMPLE}."]}
    if "consummation" in body and not isinstance(consummation, str):  # absent for the default; null is not a date
        return {"consummation": ['consummation: write the date as a string, such as "2003-10-10".']}
    problems: list[str] = []
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerow(_JSON_ACCOUNT_KEYS)
    for index, item in enumerate(accounts):
        where = f"accounts[{index}]"
        if not isinstance(item, dict):
            problems.append(f'{where}: send an object, such as {{"account": "A-17", "principal": "100000"}}.')
            continue
        if unknown := sorted(set(item) - set(_JSON_ACCOUNT_KEYS)):
            problems.append(f"{where}: unknown field {unknown[0]!r}; the fields are account, principal and tendered.")
        account, principal, tendered = (item.get(key) for key in _JSON_ACCOUNT_KEYS)
        for name, value, example in (("account", account, "A-17"), ("principal", principal, "100000")):
            if not isinstance(value, str):
                # Amounts are strings, as the outcome writes them: a JSON number loses cents in many libraries.
                problems.append(f'{where}.{name}: write it as a string, such as "{example}".')
            elif not _one_line(value):
                problems.append(f"{where}.{name}: must be on one line, without line breaks or NUL characters.")
        if not (tendered is None or isinstance(tendered, bool)):
            problems.append(f"{where}.tendered: true, false or null (not known).")
        if all(isinstance(value, str) and not value.strip() for value in (account, principal)):
            # The parser skips a blank line of a file; a blank account of a list must not vanish the same way.
            problems.append(f'{where}: is blank; give its account id and principal, such as "A-17" and "100000".')
        if len(problems) >= _MAX_SHAPE_PROBLEMS:
            return {"accounts": [*problems[:_MAX_SHAPE_PROBLEMS], "and perhaps more: fix these and send it again."]}
        if not problems:
            writer.writerow([account, principal, {True: "yes", False: "no", None: ""}[tendered]])
    if problems:
        return {"accounts": problems}
    return lines.getvalue(), consummation


def _holdings_json(result: holdings.Book, terms: tuple[OfferTerms, ...], parsed: ParsedAccounts,
                   consummation: date) -> Iterator[bytes]:
    """The totals, then every account's contract, streamed: memory grows with neither the book nor the answer."""
    encode = json.JSONEncoder(check_circular=False).encode  # documents are trees: a third faster without the check
    summary = encode(holdings.book_to_contract(result))
    chunk = [summary[:-1], ', "accounts": [']  # the summary object, left open for the list of accounts
    size = 0
    for index, text in enumerate(holdings.account_json(terms, parsed, consummation, encode)):
        chunk.append(f", {text}" if index else text)
        size += len(text)
        if size > 64 * 1024:
            yield "".join(chunk).encode()
            chunk, size = [], 0
    chunk.append("]}")
    yield "".join(chunk).encode()


@csrf_exempt  # an API for other systems, which send no token: it changes nothing, and other sites cannot read it
@require_POST
def api_holdings(request: HttpRequest) -> HttpResponse:
    """Many accounts at once: a CSV body (and ``?consummation=``) or JSON; the totals, the allocation check and each
    account's contract (2.1). Read, computed and answered in memory; nothing is stored, cached or logged."""
    published = _api_versions(request)
    if isinstance(published, JsonResponse):
        return holdings.private(published)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if problem := too_many_bytes(length):  # by the declared length, before the body is read
        return _api_errors({"file": [str(problem)]}, status=413)
    kind = request.content_type
    if kind not in HOLDINGS_CONTENT_TYPES:
        return _api_errors({"request": [f"request: send the accounts as text/csv (a line per account, such as "
                                        f"A-17,100000) or as application/json, such as {_JSON_EXAMPLE}."]},
                           status=415)
    data: bytes | str = request.body
    query = request.GET
    if kind == "application/json" and "consummation" in query:  # one place for the date, so none is ignored
        return _api_errors({"consummation": ["consummation: with a JSON body, give the date in the body "
                                             '("consummation": "2003-10-10"), not in the query string.']})
    if kind == "application/json":
        try:
            body = json.loads(data)
        except (ValueError, RecursionError):
            return _api_errors({"request": [f"request: the body is not JSON; send, such as {_JSON_EXAMPLE}."]})
        converted = _json_as_csv(body)
        if isinstance(converted, dict):
            return _api_errors(converted)
        data, consummation = converted
        query = QueryDict(mutable=True)
        if consummation is not None:
            query["consummation"] = consummation
    form = holdings.HoldingsForm(query, terms=published.terms)
    outstanding = published.terms[0].old_notes.outstanding if published.terms else Decimal(0)
    parsed = holdings.parse_accounts(data, outstanding)
    errors = {name: list(messages) for name, messages in form.errors.items()}
    if not parsed.ok and kind == "application/json":  # line 1 is the header: line n is accounts[n - 2]
        errors["accounts"] = _listed(parsed, lambda p: f"accounts: {p.field}: {p.message}" if p.line is None
                                     else f"accounts[{p.line - 2}].{p.field}: {p.message}")
    elif not parsed.ok:
        errors["file"] = _listed(parsed, str)
    if errors:
        return _api_errors(errors)
    consummation = form.cleaned_data["consummation"]
    result = holdings.book(published.terms, parsed, consummation, keep=0)
    return holdings.private(StreamingHttpResponse(_holdings_json(result, published.terms, parsed, consummation),
                                                  content_type="application/json"))


OPENAPI_DOCUMENT = (Path(__file__).with_name("openapi.json")).read_bytes()  # static: read once


@read_only
def api_openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 document describing /api/outcome and /api/holdings (offers/openapi.json)."""
    return HttpResponse(OPENAPI_DOCUMENT, content_type="application/json")
