"""Who may do what: the two staff groups, holders kept out, and the login lock after repeated failures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from offers.models import OfferVersion, OldNotes, TenderReport
from tests.web.admin_client import PASSWORD, change_url, edit, form_data, logged_in, staff_user, submit

pytestmark = pytest.mark.django_db

MODELS = ("offerversion", "oldnotes", "tenderreport")


def codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_the_editors_group_may_add_change_and_view_but_never_delete():
    assert codenames("Offer editors") == {f"{a}_{m}" for a in ("add", "change", "view") for m in MODELS}


def test_the_viewers_group_may_only_view():
    assert codenames("Offer viewers") == {f"view_{m}" for m in MODELS}


def test_an_editor_changes_versions_old_notes_and_tender_reports():
    editor = logged_in(staff_user("edith", "Offer editors"))
    september = OfferVersion.objects.get(slug="september-2003")
    assert edit(editor, change_url(september), new_rate_percent="12.5").status_code == 302
    old_notes = OldNotes.objects.get()
    assert edit(editor, reverse("admin:offers_oldnotes_change", args=[old_notes.pk]),
                shares_outstanding="4000000").status_code == 302
    report = TenderReport.objects.get()
    assert edit(editor, reverse("admin:offers_tenderreport_change", args=[report.pk]),
                amount_tendered="27300000").status_code == 302
    assert TenderReport.objects.get().amount_tendered == Decimal(27300000)


def test_a_viewer_sees_the_terms_read_only_and_cannot_save():
    viewer = logged_in(staff_user("vera", "Offer viewers"))
    september = OfferVersion.objects.get(slug="september-2003")
    page = viewer.get(change_url(september))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="new_rate_percent"' not in html and "Reason for this change" not in html
    assert 'name="_save"' not in html
    data = form_data(logged_in(staff_user("edith", "Offer editors")), change_url(september))
    response = submit(viewer, change_url(september), {**data, "new_rate_percent": "12.5", "change_reason": "x"})
    assert response.status_code == 403
    assert OfferVersion.objects.get(slug="september-2003").new_rate_percent == Decimal(12)


def test_a_viewer_cannot_revert_by_posting_the_history_form():
    editor = logged_in(staff_user("edith", "Offer editors"))
    september = OfferVersion.objects.get(slug="september-2003")
    edit(editor, change_url(september), new_rate_percent="12.5")
    url = reverse("admin:offers_offerversion_simple_history", args=[september.pk, september.history.last().pk])
    data = form_data(editor, url)
    viewer = logged_in(staff_user("vera", "Offer viewers"))
    assert viewer.get(url).status_code == 200  # may look
    assert submit(viewer, url, data).status_code == 403  # may not revert
    assert OfferVersion.objects.get(slug="september-2003").new_rate_percent == Decimal("12.5")


def test_a_viewer_cannot_add():
    viewer = logged_in(staff_user("vera", "Offer viewers"))
    assert viewer.get(reverse("admin:offers_offerversion_add")).status_code == 403
    assert viewer.get(reverse("admin:offers_tenderreport_add")).status_code == 403


def test_staff_without_a_group_see_no_terms():
    nobody = logged_in(staff_user("newbie"))
    assert nobody.get(reverse("admin:offers_offerversion_changelist")).status_code == 403


@pytest.mark.parametrize("url", [
    "/admin/",
    "/admin/offers/offerversion/",
    "/admin/offers/offerversion/1/change/",
    "/staff/issue",
])
@pytest.mark.parametrize("who", ["anonymous", "holder"])
def test_holders_never_reach_the_admin_or_staff_pages(client, url, who):
    if who == "holder":
        client.force_login(User.objects.create_user("holly", password="a-holder-password-1"))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def login(client: Client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_the_admin_login_works_with_the_right_password():
    staff_user("edith", "Offer editors")
    client = Client()
    response = login(client, "edith", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_locks_after_repeated_failures():
    staff_user("edith", "Offer editors")
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert login(client, "edith", "wrong-password").status_code == 200  # the form again, with an error
    assert login(client, "edith", "wrong-password").status_code == 429  # the fifth failure locks
    locked = login(client, "edith", PASSWORD)
    assert locked.status_code == 429  # even the right password is refused now
    assert client.get("/admin/").status_code == 302  # and nobody is logged in


def test_four_failures_do_not_lock_the_login():
    staff_user("edith", "Offer editors")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "edith", "wrong-password")
    assert login(client, "edith", PASSWORD).status_code == 302
