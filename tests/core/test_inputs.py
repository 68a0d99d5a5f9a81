"""parse_principal, parse_date_text and check_consummation: what a holder may type."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers.core.inputs import InputError, check_consummation, parse_date_text, parse_principal

from .strategies import reproducible

OUTSTANDING = Decimal(27_412_000)


def valid_principals_in(message: str) -> list[Decimal]:
    """The amounts quoted in a message that parse_principal itself accepts (its examples)."""
    found = []
    for candidate in re.findall(r"\$?\d[\d,]*", message):
        try:
            found.append(parse_principal(candidate, OUTSTANDING))
        except InputError:
            pass
    return found


def valid_dates_in(message: str) -> list[date]:
    """The dates quoted in a message that parse_date_text itself accepts (its examples)."""
    pattern = r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|[A-Z][a-z]{2} \d{1,2}, \d{4}"
    found = []
    for candidate in re.findall(pattern, message):
        try:
            found.append(parse_date_text(candidate))
        except InputError:
            pass
    return found


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1000", 1000), ("$1,000", 1000), ("27,412,000", 27_412_000), (" 1000 ", 1000), ("1000.00", 1000),
     ("1000.0", 1000), ("$ 25,000", 25_000), ("1", 1)],
)
def test_it_accepts_principal_as_people_write_it(text, amount):
    assert parse_principal(text, OUTSTANDING) == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, "0", "$0", "0.00", "-5", "1e3", "NaN", "inf", "Infinity", "1,00", "10,00,000", "12.5",
     "1000.001", "27,412,001", "99999999999", "\u0661\u0660\u0660\u0660", "\uff11\uff10\uff10\uff10", "1000$",
     "1 000", "1_000", "0x10", "+1000", "1" * 41, "9" * 10_000],
    ids=repr,
)
def test_it_rejects_a_principal_that_is_not_a_whole_dollar_amount_within_the_issue(text):
    with pytest.raises(InputError) as caught:
        parse_principal(text, OUTSTANDING)
    assert caught.value.field == "principal"
    assert valid_principals_in(caught.value.message), caught.value.message


def test_it_names_the_outstanding_amount_when_the_principal_is_too_large():
    with pytest.raises(InputError, match=r"\$27,412,000"):
        parse_principal("27,412,001", OUTSTANDING)


@pytest.mark.parametrize(
    "text",
    ["2003-10-10", "10/10/2003", "Oct 10, 2003", "October 10 2003", "10 Oct 2003", "Oct. 10, 2003",
     "  Oct   10,  2003 ", "october 10, 2003", "10 October 2003"],
)
def test_it_accepts_dates_as_people_write_them(text):
    assert parse_date_text(text) == date(2003, 10, 10)


def test_slashed_dates_are_read_month_first():
    assert parse_date_text("10/9/2003") == date(2003, 10, 9)
    assert parse_date_text("2/29/2004") == date(2004, 2, 29)


@pytest.mark.parametrize(
    "text",
    ["", "  ", None, "2003-02-30", "13/01/2003", "31/12/2003", "10/10/03", "Oct 2003", "2003-10", "yesterday",
     "2003-10-10T00:00", "2003/10/10", "Octember 10, 2003", "Oct 32, 2003", "Feb 29, 2003", "Oct 10, 0000",
     "\u0661\u0660/\u0661\u0660/\u0662\u0660\u0660\u0663", "10.10.2003", "Oct 10 2003 " + "x" * 40],
    ids=repr,
)
def test_it_rejects_a_date_that_is_impossible_ambiguous_or_incomplete(text):
    with pytest.raises(InputError) as caught:
        parse_date_text(text)
    assert caught.value.field == "consummation"
    assert valid_dates_in(caught.value.message), caught.value.message


def test_a_date_refusal_names_the_field_it_was_asked_for():
    with pytest.raises(InputError) as caught:
        parse_date_text("tomorrow", field="as_of")
    assert caught.value.field == "as_of"


def test_iso_only_refuses_other_forms_and_shows_the_iso_form():
    assert parse_date_text("2003-10-10", iso_only=True) == date(2003, 10, 10)
    with pytest.raises(InputError) as caught:
        parse_date_text("10/10/2003", iso_only=True)
    assert "2003-10-10" in caught.value.message and "10/10/2003" not in caught.value.message


def test_check_consummation_accepts_a_date_on_which_one_version_applies(seeded_terms):
    versions = list(seeded_terms.values())
    # Oct 1, 2003: only the original applies; Jul 31, 2009: only september-2003
    for day in (date(2003, 9, 30), date(2003, 10, 1), date(2009, 7, 31)):
        assert check_consummation(day, versions) == day


@pytest.mark.parametrize("day", [date(2003, 9, 29), date(2009, 8, 1), date(2020, 1, 1)])
def test_check_consummation_says_between_which_dates_versions_apply(seeded_terms, day):
    versions = [seeded_terms["original"], seeded_terms["september-2003"]]
    with pytest.raises(InputError) as caught:
        check_consummation(day, versions)
    message = caught.value.message
    assert caught.value.field == "consummation"
    # the earliest expiry (original, Sep 30, 2003), the latest maturity (Aug 1, 2009) and an example
    assert "Sep 30, 2003" in message and "Aug 1, 2009" in message
    assert "Oct 10, 2003" in message


def test_check_consummation_without_versions_says_none_is_published():
    with pytest.raises(InputError, match="no version"):
        check_consummation(date(2003, 10, 10), [])


@reproducible(2000)
@given(st.text())
def test_principal_parser_raises_only_input_errors(text):
    try:
        amount = parse_principal(text, OUTSTANDING)
    except InputError as error:
        assert error.field == "principal"
    else:
        assert 0 < amount <= OUTSTANDING and amount == amount.to_integral_value()


@reproducible(2000)
@given(st.text())
def test_date_parser_raises_only_input_errors(text):
    try:
        parsed = parse_date_text(text)
    except InputError as error:
        assert error.field == "consummation"
    else:
        assert isinstance(parsed, date)


NEAR_DATES = st.one_of(
    st.from_regex(r"\A\d{1,4}-\d{1,2}-\d{1,4}\Z"),
    st.from_regex(r"\A\d{1,2}/\d{1,2}/\d{1,5}\Z"),
    st.from_regex(r"\A[A-Za-z]{2,10}\.? \d{1,3},? \d{3,5}\Z"),
    st.from_regex(r"\A\d{1,3} [A-Za-z]{2,10}\.?,? \d{3,5}\Z"),
)


@reproducible(1000)
@given(NEAR_DATES)
def test_date_parser_refuses_near_misses_with_input_errors_only(text):
    """Strings shaped like the accepted forms (digits of any script, any numbers) reach every branch."""
    try:
        parsed = parse_date_text(text)
    except InputError as error:
        assert error.field == "consummation"
    else:
        assert text.isascii()
        assert str(parsed.year) in text


@reproducible(300)
@given(st.from_regex(r"\A\$?\s*\d{1,12}(,\d{1,4})*(\.\d{0,3})?\Z"))
def test_principal_parser_refuses_near_misses_with_input_errors_only(text):
    try:
        amount = parse_principal(text, OUTSTANDING)
    except InputError as error:
        assert error.field == "principal"
    else:
        assert text.isascii()
        assert 0 < amount <= OUTSTANDING
