"""The admin login lockout (django-axes), as staff meet it.

Two limits, both counted over the last ``AXES_COOLOFF_TIME`` hours:

- ``AXES_FAILURE_LIMIT`` wrong passwords for one username from one address lock that
  username at that address (axes itself, ``AXES_LOCKOUT_PARAMETERS``): one editor's typos
  lock neither their colleagues behind the same office address nor the same username
  elsewhere;
- ``AXES_ADDRESS_FAILURE_LIMIT`` wrong passwords from one address, whatever the usernames,
  lock that address (this handler): guessing across usernames stops there.

The lockout page says which limit was reached, until when, and what to do.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def _recent(request: HttpRequest):
    since = timezone.now() - get_cool_off(request)
    return AccessAttempt.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address, for any username, within the cool-off time."""
    return _recent(request).aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the limit on failures from one address across usernames."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=get_client_username(request, credentials),
                                 ip_address=request.axes_ip_address)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None,
                     credentials: dict | None) -> HttpResponse:
    """The styled lockout page (429): which lock, until when, and what to do."""
    username = get_client_username(request, credentials) or ""
    by_address = address_locked(request)
    attempts = _recent(request) if by_address else _recent(request).filter(username=username)
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    context = {
        **admin.site.each_context(request),
        "title": "Login locked",
        "username": username,
        "by_address": by_address,
        "address": request.axes_ip_address,
        "failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT if by_address else settings.AXES_FAILURE_LIMIT,
        "cool_off": _hours(get_cool_off(request)),
        "until": last + get_cool_off(request) if last else None,
    }
    return render(request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def _hours(cool_off: timedelta) -> str:
    hours = cool_off / timedelta(hours=1)
    return "an hour" if hours == 1 else f"{hours:g} hours"
