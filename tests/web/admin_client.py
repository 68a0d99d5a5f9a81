"""Helpers for the admin tests: staff users, and filling in an admin form the way a browser does."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from offers.models import OfferVersion

PASSWORD = "a-long-staff-password-9"


def staff_user(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(version: OfferVersion) -> str:
    return reverse("admin:offers_offerversion_change", args=[version.pk])


def form_data(client: Client, url: str) -> dict[str, str]:
    """What the browser would submit from the page's main form, unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data_from(response)


def form_data_from(response) -> dict[str, str]:
    """What the browser would submit from the main form of the page ``response`` shows, unchanged."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form[id$=_form]") or soup.select_one("#content-main form[method=post]")
    assert form is not None, "no form on the page"
    data: dict[str, str] = {}
    for field in form.select("input[name]"):
        kind = field.get("type", "text")
        if kind in ("submit", "button", "file"):
            continue
        if kind == "checkbox":
            if field.has_attr("checked"):
                data[field["name"]] = field.get("value", "on")
            continue
        data[field["name"]] = field.get("value", "")
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]")
        data[select["name"]] = chosen.get("value", "") if chosen else ""
    for area in form.select("textarea[name]"):
        data[area["name"]] = area.get_text().removeprefix("\n")
    return data


def submit(client: Client, url: str, data: dict[str, str | None]):
    """Post ``data``; a value of None leaves the field out (an unticked box)."""
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def edit(client: Client, url: str, *, confirm: bool = True, **changes: str | None):
    """Open the form, change some fields, give a reason unless one is given, and save.

    A save of a published version first shows what holders will see change: with ``confirm``
    (the default) it is confirmed, as an editor would press "Confirm: save".
    """
    data = form_data(client, url)
    data.setdefault("change_reason", "")
    if not data["change_reason"] and "change_reason" not in changes:
        data["change_reason"] = "Checking a rule"
    response = submit(client, url, {**data, **changes})
    return confirmed(client, url, response) if confirm else response


def confirmation_form(response) -> dict[str, list[str]] | None:
    """The hidden fields of a confirmation page ("what holders will see change"), or None if it is not one."""
    if response.status_code != 200:
        return None
    form = BeautifulSoup(response.content, "html.parser").select_one("#confirm-form")
    if form is None:
        return None
    data: dict[str, list[str]] = {}
    for field in form.select("input[type=hidden]"):
        if field["name"] != "csrfmiddlewaretoken":
            data.setdefault(field["name"], []).append(field.get("value", ""))
    return data


def confirmed(client: Client, url: str, response):
    """Press "Confirm" if ``response`` asks for it (the form posts back to the page's own address)."""
    data = confirmation_form(response)
    return response if data is None else client.post(url, data)


def field_errors(response, field: str) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ").split()) for li in soup.select(f".field-{field} ul.errorlist li")]


def form_errors(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ").split()) for li in soup.select("ul.errorlist.nonfield li")]


def messages_on(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ").split()) for li in soup.select("ul.messagelist li")]
