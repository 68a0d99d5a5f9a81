"""Holders never reach the admin or the staff pages; the admin login locks after repeated failures."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.web.security import PASSWORD, fast_passwords, logged_in, make_user, sample_urls

pytestmark = pytest.mark.usefixtures(fast_passwords.__name__)

ADMIN_PAGES = ["admin:index", "admin:offers_offerversion_changelist", "admin:offers_offerversion_change",
               "admin:offers_offerversion_add", "admin:offers_tenderreport_changelist", "admin:auth_user_changelist"]


def staff_urls() -> list[str]:
    return [url for name, url in sample_urls().items() if url.startswith("/staff/")]


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302, (url, response.status_code)
    assert response["Location"].startswith(reverse("admin:login")), (url, response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_an_anonymous_holder_is_sent_to_the_admin_login(client, name):
    url = sample_urls()[name]
    assert_sent_to_login(client.get(url), url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_a_logged_in_holder_who_is_not_staff_is_sent_to_the_admin_login(name):
    client = logged_in(make_user("holder"))
    url = sample_urls()[name]
    assert_sent_to_login(client.get(url), url)


@pytest.mark.django_db
def test_holders_do_not_reach_the_staff_pages(client):
    holder = logged_in(make_user("holder"))
    urls = staff_urls()
    assert urls, "no staff page found under /staff/"
    for url in urls:
        for visitor in (client, holder):
            response = visitor.get(url)
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_staff_do_reach_the_admin():
    """So the refusals above are about who asks."""
    assert logged_in(make_user("editor", staff=True)).get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_the_admin_login_locks_after_repeated_failures_even_with_the_right_password():
    make_user("editor", staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong-guess"})
        assert response.status_code == 200  # the form again, with an error
    assert client.post("/admin/login/", {"username": "editor", "password": "wrong-guess"}).status_code == 429
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert_sent_to_login(client.get(reverse("admin:index")), "/admin/")


@pytest.mark.django_db
def test_the_right_password_still_works_before_the_limit():
    make_user("editor", staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "editor", "password": "wrong-guess"})
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int = 1):
    response = None
    for _ in range(times):
        response = client.post("/admin/login/", {"username": username, "password": "wrong-guess"})
    return response


def log_in(client: Client, username: str):
    return client.post("/admin/login/", {"username": username, "password": PASSWORD})


@pytest.mark.django_db
def test_one_editors_lockout_leaves_colleagues_at_the_same_address_free():
    make_user("editor", staff=True)
    make_user("colleague", staff=True)
    office = Client(REMOTE_ADDR="192.0.2.10")
    assert fail(office, "editor", settings.AXES_FAILURE_LIMIT).status_code == 429
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "editor").status_code == 429
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "colleague").status_code == 302


@pytest.mark.django_db
def test_nobody_elsewhere_can_lock_a_username_out():
    make_user("editor", staff=True)
    assert fail(Client(REMOTE_ADDR="198.51.100.7"), "editor", settings.AXES_FAILURE_LIMIT).status_code == 429
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "editor").status_code == 302


@pytest.mark.django_db
def test_failures_across_usernames_from_one_address_lock_that_address():
    make_user("editor", staff=True)
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):
        assert fail(sprayer, f"guess{attempt}").status_code == 200  # each username below its own limit
    assert fail(sprayer, "another-guess").status_code == 429
    # A wrong password for a real account gets the same page: the answer does not tell which usernames exist.
    assert fail(sprayer, "editor").status_code == 429
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "editor").status_code == 302


@pytest.mark.django_db
def test_a_locked_address_still_lets_a_staff_member_in_good_standing_log_in():
    """The office case: someone behind the office's address guesses usernames; colleagues keep working."""
    make_user("editor", staff=True)
    office = Client(REMOTE_ADDR="192.0.2.10")
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        fail(office, f"guess{attempt}")
    assert fail(office, "one-more-guess").status_code == 429
    colleague = Client(REMOTE_ADDR="192.0.2.10")
    assert log_in(colleague, "editor").status_code == 302
    assert "_auth_user_id" in colleague.session


@pytest.mark.django_db
def test_a_colleagues_typos_do_not_count_towards_the_address_lock():
    office = Client(REMOTE_ADDR="192.0.2.10")
    typos = settings.AXES_FAILURE_LIMIT - 1  # one short of each username's own lock
    colleagues = [f"staff{n}" for n in range(-(-settings.AXES_ADDRESS_FAILURE_LIMIT // typos))]
    for name in colleagues:
        make_user(name, staff=True)
        assert fail(office, name, typos).status_code == 200
    assert len(colleagues) * typos >= settings.AXES_ADDRESS_FAILURE_LIMIT
    assert fail(office, "unknown-name").status_code == 200  # the address is not locked


@pytest.mark.django_db
def test_usernames_already_locked_count_towards_the_address_lock():
    office = Client(REMOTE_ADDR="192.0.2.10")
    per_username = settings.AXES_FAILURE_LIMIT
    real = [f"staff{n}" for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT // per_username)]
    for name in real:
        make_user(name, staff=True)
        assert fail(office, name, per_username).status_code == 429  # each locked in turn
    make_user("editor", staff=True)
    assert fail(office, "unknown-name").status_code == 429  # the address is locked now
    assert log_in(office, "editor").status_code == 302


@pytest.mark.django_db
def test_attempts_while_locked_do_not_pile_up_into_an_address_lock():
    make_user("colleague", staff=True)
    office = Client(REMOTE_ADDR="192.0.2.10")
    fail(office, "editor", settings.AXES_ADDRESS_FAILURE_LIMIT + 5)  # keeps trying after the lock
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "colleague").status_code == 302


@pytest.mark.django_db
def test_with_no_proxy_configured_a_forged_x_forwarded_for_is_ignored(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default: no proxy in front (make serve)
    make_user("editor", staff=True)
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        forged = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
        fail(forged, f"guess{attempt}")
    again = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert fail(again, "another-guess").status_code == 429  # counted against the real address


@pytest.mark.django_db
def test_behind_the_proxy_a_lockout_falls_on_the_client_not_on_the_proxy(settings):
    """Every request reaches the app from the proxy's address; the client's is in X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("editor", staff=True)
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": f"guess{attempt}", "password": "wrong-guess"})
    assert fail(attacker, "another-guess").status_code == 429

    # The attacker also claims other addresses on the left: only the proxy's entry counts.
    spoofing = Client(HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7")
    assert fail(spoofing, "yet-another-guess").status_code == 429

    colleague = Client(HTTP_X_FORWARDED_FOR="192.0.2.20")
    assert colleague.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_the_lockout_page_says_for_how_long_and_what_to_do():
    from bs4 import BeautifulSoup

    make_user("editor", staff=True)
    response = fail(Client(), "editor", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    text = " ".join(soup.get_text(" ").split())
    assert "Exchange Outcome staff" in text  # the admin's own page, styled like the login
    assert soup.select_one("link[rel=stylesheet][href*='admin/css/base.css']")
    reason = " ".join(soup.select_one("#lockout-reason").get_text(" ").split())
    assert reason == ("Too many failed logins for editor from your address: 5 wrong passwords within an hour. "
                      "Logging in as editor from this address is locked; colleagues can still log in.")
    last = AccessAttempt.objects.get(username="editor").attempt_time.astimezone(ZoneInfo("America/New_York"))
    until = last + timedelta(hours=1)
    hour = until.hour % 12 or 12
    assert (f"Until {until:%b} {until.day}, {until.year}, {hour}:{until:%M} "
            f"{'a.m.' if until.hour < 12 else 'p.m.'} New York time: an hour after the last failed attempt"
            ) in " ".join(soup.select_one("#lockout-until").get_text(" ").split())
    advice = " ".join(soup.select_one("#lockout-what-to-do").get_text(" ").split())
    assert "ask a superuser to set a new one" in advice
    assert "python manage.py axes_reset_username editor" in advice


@pytest.mark.django_db
def test_the_login_page_warns_from_the_third_failure_how_many_attempts_are_left():
    from bs4 import BeautifulSoup

    make_user("editor", staff=True)
    client = Client()

    def warning(response) -> str | None:
        found = BeautifulSoup(response.content, "html.parser").select_one("#attempts-left")
        return " ".join(found.get_text(" ").split()) if found else None

    assert warning(fail(client, "editor")) is None
    assert warning(fail(client, "editor")) is None
    assert warning(fail(client, "editor")).startswith(
        "2 attempts left before editor is locked for an hour at this address.")
    assert warning(fail(client, "editor")).startswith(
        "1 attempt left before editor is locked for an hour at this address.")
    assert fail(client, "editor").status_code == 429


@pytest.mark.django_db
def test_a_lockout_is_logged_with_the_username_and_address_never_the_password(caplog):
    make_user("editor", staff=True)
    with caplog.at_level("WARNING", logger="lexp_site.lockout"):
        fail(Client(REMOTE_ADDR="192.0.2.10"), "editor", settings.AXES_FAILURE_LIMIT)
    [record] = [r for r in caplog.records if r.name == "lexp_site.lockout"]
    assert record.levelname == "WARNING"
    assert "'editor'" in record.getMessage() and "192.0.2.10" in record.getMessage()
    assert "wrong-guess" not in caplog.text


@pytest.mark.django_db
def test_a_superuser_unlocks_a_username_from_the_admin():
    make_user("editor", staff=True)
    office = Client(REMOTE_ADDR="192.0.2.10")
    assert fail(office, "editor", settings.AXES_FAILURE_LIMIT).status_code == 429
    boss = Client(REMOTE_ADDR="192.0.2.99")
    assert log_in(boss, make_user("boss", staff=True, superuser=True).username).status_code == 302
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "Access attempts" in boss.get(reverse("admin:index")).content.decode()
    listed = boss.get(changelist, {"q": "editor"})
    assert listed.status_code == 200 and "192.0.2.10" in listed.content.decode()
    attempt = AccessAttempt.objects.get(username="editor")
    confirm = boss.post(changelist, {"action": "delete_selected", "_selected_action": [attempt.pk]})
    assert confirm.status_code == 200  # "are you sure?"
    done = boss.post(changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert done.status_code == 302
    assert log_in(Client(REMOTE_ADDR="192.0.2.10"), "editor").status_code == 302
