"""Staff sessions: when they end, the warning before, and no typing lost to an ended session.

- A session ends ``STAFF_SESSION_IDLE`` seconds after the last request (2 hours) and at most
  ``STAFF_SESSION_MAX`` seconds after logging in (12 hours). :class:`StaffSessionMiddleware`
  ends it; ``SESSION_COOKIE_AGE`` only lets the database row outlive it, so the middleware
  still knows whose session it was.
- Every admin page carries the time left (``templates/admin/base_site.html``);
  ``static/offers/staff-session.js`` warns ``STAFF_SESSION_WARN`` seconds before the end,
  and its "Stay signed in" button posts to :func:`refresh` (any request counts as activity).
- A save posted to an admin add or change form after the session ended is not lost: what was
  typed is kept in the new, anonymous session, for the user whose session it was and that
  page only, and the browser goes to the login page. Once that user has logged in, the form
  comes back filled with it, not saved (:func:`form_with_typing`, called by the admin's
  ``get_form``). Anyone else logging in in that browser never sees it.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from lexp_site.unavailable import UNAVAILABLE, answer_unavailable

STARTED = "staff_session_started"  # when the user logged in (seconds since the epoch)
LAST_SEEN = "staff_session_last_seen"  # the last request
KEPT = "staff_session_kept_typing"
# The add and change forms of the terms (/admin/offers/<model>/add/, /admin/offers/<model>/<id>/change/): not the
# users' forms, whose typing includes passwords, and nothing else.
FORM_PATH = re.compile(r"^/admin/offers/\w+/(?:add|\d+/change)/$")
MAX_KEPT_CHARACTERS = 100_000  # a form of terms is a few kilobytes; anything bigger is not kept


def _hours(seconds: int) -> str:
    hours = seconds / 3600
    return "an hour" if hours == 1 else f"{hours:g} hours"


def ends_at(started: float, last_seen: float) -> float:
    """When a session started at ``started`` and last used at ``last_seen`` ends (seconds since the epoch)."""
    return min(last_seen + settings.STAFF_SESSION_IDLE, started + settings.STAFF_SESSION_MAX)


def _started(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now


user_logged_in.connect(_started, dispatch_uid="staff_session_started")


class StaffSessionMiddleware:
    """Ends a signed-in session that has been idle too long or has lasted too long; otherwise records the request
    as activity and tells the page the time left. After AuthenticationMiddleware and MessageMiddleware, and after
    CsrfViewMiddleware: the check runs as the view is about to be called, so a forged post (refused by the CSRF
    check first) can never put typing into anyone's form."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        try:
            return self._check(request) if request.user.is_authenticated else None
        except UNAVAILABLE as exc:  # the session and the user are read from the database
            return answer_unavailable(request, exc)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = time.time()
        session = request.session
        started = session.setdefault(STARTED, now)  # a session from before this module: from now on
        last_seen = session.get(LAST_SEEN, started)
        if now < ends_at(started, last_seen):
            session[LAST_SEEN] = now
            request.staff_session_ends_in = int(ends_at(started, now) - now)
            request.staff_session_warn = settings.STAFF_SESSION_WARN
            request.staff_session_can_extend = started + settings.STAFF_SESSION_MAX > now + settings.STAFF_SESSION_IDLE
            return None
        idle = now >= last_seen + settings.STAFF_SESSION_IDLE
        user = request.user
        auth.logout(request)
        why = (f"after {_hours(settings.STAFF_SESSION_IDLE)} without activity" if idle
               else f"{_hours(settings.STAFF_SESSION_MAX)} after you logged in")
        if request.method == "POST" and user.is_staff and FORM_PATH.match(request.path):
            if self._keep(request, user.pk):
                messages.warning(request, f"Your session ended {why}, so nothing was saved. Log in again: the form "
                                 "comes back with what you typed, for you to check and save.")
                return redirect_to_login(request.path, reverse("admin:login"))
        if request.path.startswith("/admin/"):
            messages.warning(request, f"Your session ended {why}. Log in again to go on.")
        return None

    @staticmethod
    def _keep(request: HttpRequest, user_pk: Any) -> bool:
        data = {key: values for key, values in request.POST.lists()
                if key != "csrfmiddlewaretoken" and "password" not in key.lower()}
        if sum(len(value) for values in data.values() for value in values) > MAX_KEPT_CHARACTERS:
            return False
        request.session[KEPT] = {"user": str(user_pk), "path": request.path, "data": data}
        return True


def form_with_typing(request: HttpRequest, form_class: type) -> type:
    """``form_class``, or, when this user's save to this page was refused because the session had ended, a
    subclass whose fields start with what was typed (the instance's values where nothing was typed). Nothing
    is saved: the user checks the form and saves it."""
    if not hasattr(request, "_kept_typing"):
        kept = request.session.get(KEPT) if request.method == "GET" else None
        if kept is not None and kept["path"] == request.path:
            del request.session[KEPT]
            if kept["user"] == str(request.user.pk):
                request._kept_typing = MultiValueDict(kept["data"])
                messages.warning(request, "What you typed before your session ended is back in the form below. "
                                 "Nothing has been saved yet: check it and save.")
    typed = getattr(request, "_kept_typing", None)
    if typed is None:
        return form_class

    class WithTyping(form_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                widget, key = field.widget, self.add_prefix(name)
                if not field.disabled and not widget.value_omitted_from_data(typed, {}, key):
                    self.initial[name] = widget.value_from_datadict(typed, {}, key)

    WithTyping.__name__ = form_class.__name__
    return WithTyping


def refresh(request: HttpRequest) -> HttpResponse:
    """"Stay signed in": the request itself is the activity (the middleware recorded it); says the time left.
    Staff only, like every page under /staff/; a post only."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return JsonResponse({"signed_in": False}, status=403)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return JsonResponse({"signed_in": True, "seconds_left": request.staff_session_ends_in,
                         "can_extend": request.staff_session_can_extend})
