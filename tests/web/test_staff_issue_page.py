"""The whole-issue page for staff (/staff/issue).

Expected figures, by hand from the spec (30/360, Aug 1, 1999 to Oct 10, 2003 = 1,509 days):
- all $27,412,000: accrued 27,412 x 534.4375 = 14,650,000.75 (the release: "$14,650,000");
  New Notes 42,062,000; warrants 42,062,000 x 10 / 1,000 = 420,620 shares;
  original fee 3% x 27,412,000 = 822,360.00.
- first year (coupons paid Feb 1, May 1, Aug 1, 2004; Nov 1, 2004 is after Oct 10, 2004):
  September 2003 at 12%: 42,062,000 x 12% x 111/360 = 1,556,294.00, then
  42,062,000 x 3% = 1,261,860.00 twice: 4,080,014.00.
  Original at 11.5%: 42,062,000 x 11.5% x 111/360 = 1,491,448.4166... -> 1,491,448.42, then
  1,209,282.50 twice: 3,910,013.42.
- tendered $27,209,000: accrued 27,209 x 534.4375 = 14,541,509.9375; New Notes 41,750,509;
  417,505 warrant shares; September 2003 first year 1,544,768.83 + 2 x 1,252,515.27 = 4,049,799.37.
- 27,209,000 / 27,412,000 = 99.259...% -> 99.3%; 20,490,000 / 27,412,000 = 74.748...% -> 74.7%.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.urls import reverse

from offers.models import OfferVersion, OldNotes, TenderReport
from tests.web.admin_client import logged_in, staff_user

pytestmark = pytest.mark.django_db

URL = reverse("offers-staff-issue")
ORIGINAL = "Original terms (before the September 2003 amendment)"
SEPTEMBER = "September 2003 amendment"


@pytest.fixture
def staff():
    return logged_in(staff_user("vera", "Offer viewers"))


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def tables(client, query: dict | None = None, status: int = 200) -> dict[str, dict[str, dict[str, str]]]:
    """Each figures table by amount: {"outstanding"|"tendered": {row label: {version name: cell text}}}."""
    response = client.get(URL, query or {})
    assert response.status_code == status
    soup = BeautifulSoup(response.content, "html.parser")
    found = {}
    for key in ("outstanding", "tendered"):
        table = soup.select_one(f"#whole-issue-{key}")
        heads = [text(th) for th in table.select("thead th")][1:]
        found[key] = {text(tr.th).rstrip(" *"): dict(zip(heads, [text(td) for td in tr.find_all("td")], strict=True))
                      for tr in table.select("tbody tr")}
    return found


def cell(found, label: str, version: str, amount: str) -> str:
    return found[amount][label][version]


ALL, TENDERED = "outstanding", "tendered"


def test_it_reproduces_the_press_release_accrual_for_the_whole_issue(staff):
    rows = tables(staff)
    assert cell(rows, "Accrued interest per $1,000", SEPTEMBER, ALL) == "$534.4375"
    assert cell(rows, "Accrued interest converted into New Notes", SEPTEMBER, ALL).startswith(
        "$14,650,000.75 1,509 days")
    assert cell(rows, "Accrued interest converted into New Notes", ORIGINAL, ALL).startswith(
        "$14,650,000.75")


def test_it_runs_the_whole_issue_through_each_version(staff):
    rows = tables(staff)
    assert cell(rows, "New Notes principal", SEPTEMBER, ALL) == "$42,062,000.00"
    assert cell(rows, "Warrant shares", SEPTEMBER, ALL).startswith("420,620")
    assert cell(rows, "Participation fee", ORIGINAL, ALL) == "$822,360.00"
    assert cell(rows, "Participation fee", SEPTEMBER, ALL) == "none"
    assert cell(rows, "Interest in the first year", SEPTEMBER, ALL) == "$4,080,014.00 3 coupons"
    assert cell(rows, "Interest in the first year", ORIGINAL, ALL) == "$3,910,013.42 3 coupons"


def test_it_runs_the_latest_tendered_amount_too(staff):
    soup = BeautifulSoup(staff.get(URL).content, "html.parser")
    assert text(soup.select_one("#whole-issue-outstanding caption")) == "All $27,412,000 outstanding"
    assert text(soup.select_one("#whole-issue-tendered caption")) == "The $27,209,000 tendered as of Sep 18, 2003"
    rows = tables(staff)
    assert cell(rows, "Accrued interest converted into New Notes", SEPTEMBER, TENDERED).startswith(
        "$14,541,509.9375")
    assert cell(rows, "New Notes principal", SEPTEMBER, TENDERED) == "$41,750,509.00"
    assert cell(rows, "Warrant shares", SEPTEMBER, TENDERED).startswith("417,505")
    assert cell(rows, "Interest in the first year", SEPTEMBER, TENDERED) == "$4,049,799.37 3 coupons"


def test_it_shows_the_tender_and_largest_holders_as_percentages_of_the_outstanding(staff):
    soup = BeautifulSoup(staff.get(URL).content, "html.parser")
    assert "$27,209,000 tendered as of Sep 18, 2003: 99.3% of the amount outstanding" in text(soup.select_one(
        "#tendered"))
    assert "The 4 largest holders control $20,490,000: 74.7% of the $27,412,000 outstanding" in text(
        soup.select_one("#largest-holders"))


def test_it_checks_every_release_figure_and_says_the_release_rounds_the_total(staff):
    soup = BeautifulSoup(staff.get(URL).content, "html.parser")
    checks = [text(tr) for tr in soup.select("#release-checks tbody tr")]
    assert len(checks) == 7 and all(" matches" in c for c in checks)
    assert checks[0] == "Old Notes principal outstanding $27,412,000 $27,412,000.00 matches"
    assert any("$14,650,000 $14,650,000.75 matches: Exact: $14,650,000.75; the release rounds this to "
               "$14,650,000." in c for c in checks)
    assert any("99.3% 99.3% matches" in c for c in checks)
    assert any("74.7% 74.7% matches" in c for c in checks)


def test_it_says_what_first_year_interest_means(staff):
    note = text(BeautifulSoup(staff.get(URL).content, "html.parser").select_one("#first-year"))
    assert "coupons paid from the consummation date (Oct 10, 2003) up to, not including, its first anniversary " \
           "(Oct 10, 2004)" in note


def test_a_chosen_consummation_date_changes_the_figures(staff):
    # Nov 10, 2003: 1,539 days (30/360), accrued per $1,000 = 1,000 x 12.75% x 1539/360 = 545.0625.
    rows = tables(staff, {"consummation": "Nov 10, 2003"})
    assert cell(rows, "Accrued interest per $1,000", SEPTEMBER, ALL) == "$545.0625"
    # 27,412 x 545.0625 = 14,941,253.25
    assert cell(rows, "Accrued interest converted into New Notes", SEPTEMBER, ALL).startswith(
        "$14,941,253.25")


def test_a_version_that_does_not_apply_on_the_date_says_why(staff):
    rows = tables(staff, {"consummation": "2003-10-01"})  # after the original expired, before the amendment did
    assert cell(rows, "On Oct 1, 2003", ORIGINAL, ALL) == "applies"
    assert cell(rows, "Accrued interest converted into New Notes", ORIGINAL, ALL).startswith("$")
    assert cell(rows, "On Oct 1, 2003", SEPTEMBER, ALL) == (
        "does not apply : Consummation on Oct 1, 2003 is before this version's offer expires (Oct 7, 2003); "
        "it applies from that day on.")
    assert cell(rows, "Accrued interest converted into New Notes", SEPTEMBER, ALL) == ""


def test_a_version_expiring_after_the_release_date_is_not_a_false_alarm(staff):
    """Expiring Oct 14, 2003, the amendment cannot be consummated on Oct 10, the release's date: that is
    no mismatch with the release, so no "differs" row, and the page says why it is not checked."""
    OfferVersion.objects.filter(slug="september-2003").update(
        expires_at=datetime(2003, 10, 14, 17, tzinfo=ZoneInfo("America/New_York")),
        expected_consummation=date(2003, 10, 16))
    soup = BeautifulSoup(staff.get(URL).content, "html.parser")
    checks = [text(tr) for tr in soup.select("#release-checks tbody tr")]
    assert not any("differs" in c for c in checks), checks
    assert not soup.select("#release-checks strong")
    # The original terms still apply on Oct 10, 2003 and are checked: the amount outstanding, 2 figures, plus the
    # 2 tender figures.
    assert len(checks) == 5 and all(" matches" in c for c in checks)
    assert all(ORIGINAL in c for c in checks[1:3])
    applies = [text(li) for li in soup.select("#release-applies li")]
    assert applies == [
        f"{ORIGINAL}: applies on Oct 10, 2003: checked below.",
        f"{SEPTEMBER}: does not apply on Oct 10, 2003, so its figures are not checked: Consummation on Oct 10, "
        "2003 is before this version's offer expires (Oct 14, 2003); it applies from that day on.",
    ]


def test_a_real_mismatch_with_the_release_still_says_differs(staff):
    # The release's 99.3% tendered, against a report of $27,000,000: 27,000,000 / 27,412,000 = 98.497...% -> 98.5%.
    TenderReport.objects.update(amount_tendered=27000000)
    soup = BeautifulSoup(staff.get(URL).content, "html.parser")
    checks = [text(tr) for tr in soup.select("#release-checks tbody tr")]
    assert any("99.3% 98.5% differs" in c for c in checks), checks


def test_a_bad_date_is_refused_with_a_message_naming_the_field(staff):
    response = staff.get(URL, {"consummation": "2003-02-30"})
    assert response.status_code == 400
    error = text(BeautifulSoup(response.content, "html.parser").select_one("#consummation-error"))
    assert error.startswith("Consummation date: 2003-02-30 is not a real date")


def test_the_largest_holders_figure_is_the_one_staff_keep_in_the_tender_report(staff):
    TenderReport.objects.update(largest_holders_count=3, largest_holders_amount=18000000)
    soup = BeautifulSoup(staff.get(URL).content, "html.parser")
    # 18,000,000 / 27,412,000 = 65.664...% -> 65.7%
    assert "The 3 largest holders control $18,000,000: 65.7%" in text(soup.select_one("#largest-holders"))


def test_only_published_versions_are_run(staff):
    OfferVersion.objects.get(slug="september-2003").copy_as_draft()
    rows = tables(staff)
    assert list(rows[ALL]["New Notes principal"]) == [ORIGINAL, SEPTEMBER]


@pytest.mark.parametrize("who", ["anonymous", "holder"])
def test_holders_are_sent_to_the_staff_login_and_never_see_the_figures(client, who):
    if who == "holder":
        client.force_login(User.objects.create_user("holly", password="a-holder-password-1"))
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert b"14,650,000" not in response.content


@pytest.mark.parametrize("typed", ["9999-12-31", "9999-01-01", "12/31/9999", "2000-01-01"])
def test_a_date_no_version_applies_on_is_refused_with_the_range_not_a_500(staff, typed):
    response = staff.get(URL, {"consummation": typed})
    assert response.status_code == 400
    error = text(BeautifulSoup(response.content, "html.parser").select_one("#consummation-error"))
    assert error.startswith("Consummation date: no version of the offer applies on ")
    # From the original terms' expiry (Sep 30, 2003) up to the latest maturity (Aug 1, 2009).
    assert "enter a date from Sep 30, 2003 up to (not including) Aug 1, 2009" in error


def checks_on_page(client) -> list[str]:
    soup = BeautifulSoup(client.get(URL).content, "html.parser")
    return [text(tr).replace(" :", ":") for tr in soup.select("#release-checks tbody tr")]


def test_the_amount_outstanding_itself_is_checked_against_the_release(staff):
    # 27,412,001 x 534.4375 / 1,000 = 14,650,001.28...: rounded to $1,000 it still "matches" $14,650,000,
    # so only the amount itself shows the mismatch.
    OldNotes.objects.update(outstanding=27412001)
    checks = checks_on_page(staff)
    assert checks[0] == ("Old Notes principal outstanding $27,412,000 $27,412,001.00 differs: the stored "
                         "$27,412,001 is not the release's $27,412,000.")


def test_a_mismatch_of_the_whole_issue_accrual_is_worded_as_one(staff):
    # 28,000 x 534.4375 = 14,964,250: to the nearest $1,000, 14,964,000, not the release's 14,650,000.
    OldNotes.objects.update(outstanding=28000000)
    accrued = [c for c in checks_on_page(staff) if c.startswith("Accrued interest on all")
               and f"({SEPTEMBER})" in c]
    assert len(accrued) == 1
    assert "differs: Exact: $14,964,250" in accrued[0]
    assert "which rounds to $14,964,000, not the release's $14,650,000" in accrued[0]
    assert "the release rounds this" not in accrued[0]
