"""Every time a staff list or page shows carries its zone, and rows nobody signed in made say so."""

from __future__ import annotations

from datetime import datetime

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.urls import reverse

from offers.models import OfferVersion, OldNotes
from tests.web.admin_client import logged_in, staff_user

pytestmark = pytest.mark.django_db

# A moment in daylight saving time and one outside it, set straight in the database (no auto_now).
SUMMER = datetime.fromisoformat("2003-09-19T13:05:00+00:00")  # 9:05 a.m. in New York (EDT)
WINTER = datetime.fromisoformat("2004-01-15T22:30:00+00:00")  # 5:30 p.m. in New York (EST)


def rows(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(tr.get_text(" ").split()) for tr in soup.select("#result_list tbody tr, #change-history tbody tr")]


def test_the_version_list_gives_the_last_change_in_new_york_time():
    OfferVersion.objects.filter(slug="september-2003").update(updated_at=SUMMER)
    OfferVersion.objects.filter(slug="original").update(updated_at=WINTER)
    listed = rows(logged_in(staff_user("vera", "Offer viewers")), reverse("admin:offers_offerversion_changelist"))
    september = next(row for row in listed if row.startswith("September"))
    original = next(row for row in listed if not row.startswith("September"))
    assert "Sep 19, 2003, 9:05 a.m. New York time" in september
    assert "Jan 15, 2004, 5:30 p.m. New York time" in original


def test_the_old_notes_list_gives_the_update_time_in_new_york_time():
    OldNotes.objects.update(updated_at=WINTER)
    [row] = rows(logged_in(staff_user("vera", "Offer viewers")), reverse("admin:offers_oldnotes_changelist"))
    assert "Jan 15, 2004, 5:30 p.m. New York time" in row


def test_times_django_shows_staff_name_their_zone():
    """The login attempts list (axes' own admin) formats times with Django's format, not ours."""
    boss = logged_in(User.objects.create_superuser("boss", "boss@example.com", "a-long-staff-password-9"))
    AccessAttempt.objects.create(username="edith", ip_address="192.0.2.10", user_agent="test", path_info="/admin/",
                                 failures_since_start=1)
    AccessAttempt.objects.update(attempt_time=SUMMER)
    [row] = rows(boss, reverse("admin:axes_accessattempt_changelist"))
    assert "Sept. 19, 2003, 9:05 a.m. EDT" in row


@pytest.mark.parametrize("url", [
    lambda: reverse("admin:offers_offerversion_history", args=[OfferVersion.objects.get(slug="original").pk]),
    lambda: reverse("admin:offers_oldnotes_history", args=[OldNotes.objects.get().pk]),
])
def test_seeded_history_rows_say_they_are_initial_data(url):
    [seeded] = rows(logged_in(staff_user("vera", "Offer viewers")), url())
    assert "initial data" in seeded
    assert "None" not in seeded


def test_a_history_row_made_by_someone_names_them():
    version = OfferVersion.objects.get(slug="original")
    version._history_user = staff_user("olga", "Offer editors")
    version._change_reason = "Source corrected"
    version.source = "Offering memorandum"
    version.save()
    latest, seeded = rows(logged_in(staff_user("vera", "Offer viewers")),
                          reverse("admin:offers_offerversion_history", args=[version.pk]))
    assert "olga" in latest and "initial data" not in latest
    assert "initial data" in seeded

