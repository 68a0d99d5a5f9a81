"""The admin login lockout (django-axes), as staff meet it.

Two limits, both counted over the last ``AXES_COOLOFF_TIME`` hours:

- ``AXES_FAILURE_LIMIT`` wrong passwords for one username from one address lock that
  username at that address (axes itself, ``AXES_LOCKOUT_PARAMETERS``): one editor's typos
  lock neither their colleagues behind the same office address nor the same username
  elsewhere. From the third failure the login page says how many attempts are left;
- ``AXES_ADDRESS_FAILURE_LIMIT`` failures from one address that cannot be a colleague's
  typo (usernames with no active account, and usernames already locked) lock that address
  (this handler) for every username with no active account, and every wrong password from
  it gets the lockout page. A correct password for an account in good standing (active,
  its username not locked) still logs in: guessing never locks the whole office out.

Every lockout is logged at WARNING with the username and the address (never a password).
The lockout page says which limit was reached, until when, and what to do; a superuser
unlocks in the admin (Axes -> Access attempts: delete the rows) or with axes' commands.
docs/deploy.md ("Login lockout: the threat model") says what this does and does not stop.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)
# The login page warns from this many failures for one username at one address.
WARN_FROM_FAILURE = 3


def _recent(request: HttpRequest) -> QuerySet:
    since = timezone.now() - get_cool_off(request)
    return AccessAttempt.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)


def _accounts() -> QuerySet:
    return get_user_model().objects.filter(is_active=True).values("username")


def has_account(username: str | None) -> bool:
    return bool(username) and get_user_model().objects.filter(username=username, is_active=True).exists()


def address_failures(request: HttpRequest) -> int:
    """Failures from the request's address, within the cool-off time, that cannot be a colleague's typo:
    for usernames with no active account, and for usernames already locked there."""
    not_typos = _recent(request).filter(
        ~Q(username__in=_accounts()) | Q(failures_since_start__gte=settings.AXES_FAILURE_LIMIT))
    return not_typos.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the limit on failures from one address across usernames."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        # A locked address still lets a correct password for an account in good standing through.
        return address_locked(request) and not has_account(get_client_username(request, credentials))

    def user_login_failed(self, sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
        refused_while_locked = request is not None and request.axes_locked_out
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused_while_locked:
            return
        username = get_client_username(request, credentials)
        if not request.axes_locked_out and address_locked(request):
            # A wrong password from a locked address gets the lockout page whether or not the username
            # exists: the answer must not tell a guesser which usernames are real.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)
        if request.axes_locked_out:
            logger.warning("Admin login locked: username %r from address %s (%s).", username,
                           request.axes_ip_address,
                           "too many failures from this address" if address_locked(request)
                           else f"{settings.AXES_FAILURE_LIMIT} wrong passwords for this username")
            return
        failures = getattr(request, "axes_failures_since_start", 0)
        if failures >= WARN_FROM_FAILURE:
            # Read by templates/admin/login.html.
            request.login_attempts_left = settings.AXES_FAILURE_LIMIT - failures
            request.login_username = username


def lockout_response(request: HttpRequest, original_response: HttpResponse | None,
                     credentials: dict | None) -> HttpResponse:
    """The styled lockout page (429): which lock, until when, and what to do."""
    username = get_client_username(request, credentials) or ""
    by_address = address_locked(request) and not _recent(request).filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT).exists()
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
