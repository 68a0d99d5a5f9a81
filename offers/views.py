"""The holder-facing pages: thin function views over the calculation core."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from offers.models import OfferVersion


def compare(request: HttpRequest) -> HttpResponse:
    versions = list(OfferVersion.objects.published())
    return render(request, "offers/home.html", {"versions": versions})
