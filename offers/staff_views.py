"""Staff-only pages: the whole-issue check (the draft preview the holder page uses is in :mod:`offers.preview`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from offers import services
from offers.core.inputs import InputError, check_consummation, parse_date_text
from offers.core.issue import (
    RELEASE_CONSUMMATION,
    RELEASE_DATE,
    IssueFigures,
    first_year_end,
    issue_figures,
    percent_of,
    release_checks,
    tender_condition_met,
)
from offers.core.outcome import long_date, unavailable_reason
from offers.core.terms import OfferTerms
from offers.models import OldNotes, TenderReport


@dataclass(frozen=True)
class Column:
    """One version applied to one amount of Old Notes."""

    terms: OfferTerms
    figures: IssueFigures


@dataclass(frozen=True)
class Table:
    """Every published version applied to one amount (all outstanding, or the latest tendered)."""

    key: str
    title: str
    columns: tuple[Column, ...]


@require_safe
@staff_member_required
def issue(request: HttpRequest) -> HttpResponse:
    """Every published version applied to all the Old Notes outstanding and to the latest amount tendered."""
    published = services.published_versions()
    versions = list(published.terms)
    default = versions[-1].expected_consummation if versions else None
    consummation, error, text = default, None, request.GET.get("consummation", "").strip()
    if text:
        try:
            # Bounded like the holder forms: a date on which no version applies is refused, with the range.
            consummation = check_consummation(parse_date_text(text), versions)
        except InputError as exc:
            error = exc.message
    context = {"versions": versions, "left_out": published.left_out, "error": error, "consummation": consummation,
               "consummation_text": text or (default.isoformat() if default else "")}
    old_notes = OldNotes.objects.first()
    if old_notes is not None and consummation is not None:
        context |= _whole_issue(versions, old_notes, consummation)
    return render(request, "offers/staff_issue.html", context, status=400 if error else 200)


def _whole_issue(versions: list[OfferTerms], old_notes: OldNotes, consummation: date) -> dict:
    latest = TenderReport.objects.first()
    release_report = TenderReport.objects.filter(as_of=RELEASE_DATE).first()
    outstanding = old_notes.outstanding
    amounts = [("outstanding", f"All ${outstanding:,} outstanding", outstanding)]
    if latest is not None:
        amounts.append(("tendered", f"The ${latest.amount_tendered:,} tendered as of {long_date(latest.as_of)}",
                        latest.amount_tendered))
    largest = latest.largest_holders_amount if latest else None
    # A version is checked against the release only if it applies on the release's date: one that
    # expires later cannot reproduce those figures, and that is no mismatch.
    release_applies = [(t, unavailable_reason(t, RELEASE_CONSUMMATION)) for t in versions]
    return {
        "old_notes": old_notes,
        "latest": latest,
        "tables": [Table(key, title, tuple(Column(t, issue_figures(t, amount, consummation)) for t in versions))
                   for key, title, amount in amounts],
        "first_year_end": first_year_end(consummation),
        "tendered_percent": percent_of(latest.amount_tendered, outstanding) if latest else None,
        "largest_percent": percent_of(largest, outstanding) if largest else None,
        "conditions": [(t, tender_condition_met(t, latest.amount_tendered)) for t in versions] if latest else [],
        "release_applies": release_applies,
        "checks": release_checks([t for t, reason in release_applies if reason is None], outstanding,
                                 release_report.amount_tendered if release_report else None,
                                 release_report.largest_holders_amount if release_report else None),
        "release_consummation": RELEASE_CONSUMMATION,
        "release_date": RELEASE_DATE,
    }
