"""What holders will see change, before a staff change reaches them.

Every staff action that can change what holders see (saving a published version or the
Old Notes, publish, unpublish, archive, revert, importing terms files) first compares
what holders get now with what they would get after it, here, in one way:

- *what holders get* for a holding on a date is the machine contract of ``/api/outcome``
  (:func:`offers.core.contract.outcome_to_contract`, every field of it), each version's
  deadline, announcement and expected consummation beside it (where the contract does not
  carry them yet), and the tender status the holder page shows for that date; or the
  refusal a holder would get instead (more than is outstanding, a date no version applies on);
- for $1,000, $100,000 and the whole issue (all Old Notes outstanding, before and after);
- on every date where the answer can differ: each version's expected consummation, its
  expiry and the days either side, each announcement date and the day before it.

"After" is read with the change applied inside a transaction that is then rolled back:
the published versions come from the very query the holder pages use, in their order.
Each difference is listed once, in words, with the holdings and dates it is seen for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from offers import services
from offers.core.contract import outcome_to_contract
from offers.core.inputs import InputError, check_consummation, parse_principal
from offers.core.outcome import Holding, long_date
from offers.core.terms import OfferTerms
from offers.core.termsfile import terms_to_dict
from offers.core.versions import LABELS as TERM_LABELS
from offers.core.versions import outcome
from offers.formatting import NEW_YORK, count, money, new_york_time, percent, precise, term_value
from offers.models import OldNotes

HOLDINGS = (Decimal(1000), Decimal(100_000))  # and the whole issue: every Old Notes dollar outstanding
ARROW = "\u2192"
ANSWER, TENDER = "answer", "tender"  # subjects that are not a version (versions are named by slug)
SHOWN = "Shown to holders"
ENTRY = "The holder's entry"
IN_FORCE = "Version in force"
APPLIES = "Applies"
DAY = timedelta(days=1)
# The contract's figures of a version: null where it does not apply (its "Applies" line says so instead).
FIGURES = frozenset({"old_notes", "new_notes", "coupons", "principal_repayment", "participation_fee", "warrants",
                     "totals"})

# The contract's keys as holders read them (a key not named here is written from its own name).
LABELS = {
    "name": "Name",
    "slug": "Slug (in links and the API)",
    "supersedes": "Replaces",
    "superseded_by": "Replaced by",
    "old_notes.principal": "Old Notes principal",
    "old_notes.accrual_days": "Days of accrued interest",
    "old_notes.accrued_interest": "Accrued interest",
    "new_notes.principal": "New Notes principal",
    "new_notes.cash_in_lieu": "Cash in lieu",
    "new_notes.forgone": "Forgone below the increment",
    "new_notes.rate_percent": "New Notes rate",
    "new_notes.maturity": "New Notes maturity",
    "coupons": "Coupons",
    "principal_repayment.date": "Principal repaid on",
    "principal_repayment.amount": "Principal repaid",
    "participation_fee": "Participation fee payments",
    "warrants.shares": "Warrant shares",
    "warrants.exercise_price": "Warrant exercise price",
    "warrants.exercise_cost": "Warrant exercise cost",
    "warrants.detachable_from": "Warrants detachable from",
    "warrants.exercisable_from": "Warrants exercisable from",
    "warrants.expires": "Warrants expire",
    "totals.interest": "Total interest",
    "totals.participation_fee": "Participation fee in all",
    "totals.cash": "Total cash",
    "expires_at": "Deadline",
    "announced": "Announced",
    "expected_consummation": "Expected consummation (the date the holder form starts with)",
    "break_even_discount_rate": "Break-even discount rate",
    "earliest_consummation": "Earliest consummation",
    "tender.as_of": "Latest tender report, as of",
    "tender.amount_tendered": "Principal tendered",
    "tender.outstanding": "Old Notes outstanding",
    "tender.percent_shown": "Tendered, as a share of the outstanding",
    "tender.minimum_percent": "Minimum tender of the version in force",
    "tender.minimum_met": "Minimum tender met",
}
SUFFIXES = {"warrants.exercise_price": " a share"}
_MONEY = {"old_notes.principal", "new_notes.principal", "new_notes.cash_in_lieu", "principal_repayment.amount",
          "warrants.exercise_price", "warrants.exercise_cost", "totals.interest", "totals.participation_fee",
          "totals.cash", "tender.amount_tendered", "tender.outstanding"}
_EXACT = {"old_notes.accrued_interest", "new_notes.forgone"}  # more than 2 places when the value needs them
# Terms holders read (the details and how-we-calculate pages, "what it changed") that the contract does not carry
# as such: every field of the terms file but these, which it does carry (or holders never see: ``source``).
CARRIED = frozenset({"slug", "name", "announced", "source", "expires_at", "expected_consummation",
                     "new_notes.rate_percent", "new_notes.maturity", "warrants.exercise_price",
                     "warrants.detachable_from", "warrants.exercisable_from", "warrants.expires"})
STATED = "terms"


# What holders can be shown ---------------------------------------------------------------------------
@dataclass(frozen=True)
class State:
    """The published versions in announcement order, the latest tender report and the amount outstanding."""

    terms: tuple[OfferTerms, ...]
    report: services.Report | None
    outstanding: Decimal | None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.terms)


def state_now() -> State:
    """As holders see it: a version whose stored terms break the rules is left out (as by
    :func:`offers.services.versions_for`), so staff can open and correct it."""
    terms = services.published_versions().terms
    old_notes = OldNotes.objects.order_by("pk").first()
    return State(terms, services.latest_tender_report(), old_notes.outstanding if old_notes else None)


def state_after(change: Callable[[], object]) -> State:
    """What holders could be shown after ``change`` (run, read, then rolled back)."""
    with transaction.atomic():
        change()
        after = state_now()
        transaction.set_rollback(True)
    return after


def effect_of(change: Callable[[], object]) -> Effect:
    """What holders will see change if ``change`` is made: the one entry point of every staff action."""
    return compare(state_now(), state_after(change))


def holder_dates(states: Iterable[State]) -> tuple[date, ...]:
    """The dates whose answer a change can alter: expected consummations, expiries and the days either side,
    announcements and the day before them (when the version in force changes)."""
    days: set[date] = set()
    for state in states:
        for t in state.terms:
            days |= {t.expected_consummation, t.expiry_date - DAY, t.expiry_date, t.expiry_date + DAY}
            if t.announced is not None:
                days |= {t.announced - DAY, t.announced}
    return tuple(sorted(days))


def holdings(states: Iterable[State]) -> tuple[Decimal, ...]:
    """$1,000, $100,000 and the whole issue as it is before and after (a holding may be refused in one)."""
    return tuple(sorted({*HOLDINGS, *(s.outstanding for s in states if s.outstanding)}))


def holder_document(state: State, principal: Decimal, day: date) -> dict[str, Any]:
    """What a holder entering ``principal`` and ``day`` gets: the contract, deadlines and tender status, or
    the refusal (the holder form's own rules, in its words)."""
    try:
        parse_principal(str(principal), state.outstanding if state.outstanding is not None else Decimal("Infinity"))
        check_consummation(day, state.terms)
    except InputError as error:
        return {"refused": error.message}
    document = outcome_to_contract(outcome(state.terms, Holding(principal, day)))
    for version, terms in zip(document["versions"], state.terms, strict=True):
        # Shown beside the figures on the holder page; the contract may already carry them (same keys).
        version.setdefault("expires_at", terms.expires_at.isoformat())
        version.setdefault("announced", terms.announced.isoformat() if terms.announced else None)
        version.setdefault("expected_consummation", terms.expected_consummation.isoformat())
        version[STATED] = _stated_terms(terms)
    status = services.tender_status(state.report, state.terms, on=day)
    if status is not None:
        document["tender"] = {"as_of": status.as_of.isoformat(), "amount_tendered": str(status.amount_tendered),
                              "outstanding": str(status.outstanding), "percent_shown": str(status.percent_shown),
                              "minimum_percent": None if status.minimum_percent is None
                              else str(status.minimum_percent),
                              "minimum_met": status.minimum_met}
    return document


def _stated_terms(terms: OfferTerms) -> dict[str, Any]:
    """The version's terms as the terms file writes them, but for what the contract already carries."""
    found: dict[str, Any] = {}
    for key, value in terms_to_dict(terms).items():
        if isinstance(value, dict) and key != "participation_fee":
            found |= {f"{key}.{k}": v for k, v in value.items() if f"{key}.{k}" not in CARRIED}
        elif key not in CARRIED:
            found[key] = value
    return found


# One answer as a flat list of what holders see ------------------------------------------------------
@dataclass(frozen=True)
class Seen:
    subject: str  # ANSWER, TENDER or a version's slug
    label: str
    path: str  # the contract's key: how the value is written
    value: Any


def seen(document: dict[str, Any]) -> dict[tuple[str, str], Seen]:
    """Everything holders see in one answer, by (subject, label)."""
    found: dict[tuple[str, str], Seen] = {}

    def add(subject: str, path: str, value: Any, label: str | None = None) -> None:
        label = label or LABELS.get(path) or path.replace("_", " ").replace(".", ": ").capitalize()
        found[(subject, label)] = Seen(subject, label, path, value)

    if "refused" in document:
        add(ANSWER, "entry", f"refused: {document['refused']}", ENTRY)
        return found
    add(ANSWER, "entry", "accepted", ENTRY)
    for key, value in document.items():
        if key in ("inputs", "versions", "in_force"):
            continue
        _flatten(add, TENDER if key == TENDER else ANSWER, key, value)
    add(ANSWER, "in_force", document.get("in_force"), IN_FORCE)
    names = {version["slug"]: version["name"] for version in document["versions"]}
    for version in document["versions"]:
        slug = version["slug"]
        add(slug, "shown", True, SHOWN)
        add(slug, "applies", True if version["available"] else f"no: {version['unavailable_reason']}", APPLIES)
        for key, value in version.items():
            if key in ("available", "unavailable_reason"):
                continue
            if key in ("supersedes", "superseded_by"):
                add(slug, key, names.get(value, value))
                continue
            if key == STATED:
                for path, term in value.items():
                    add(slug, f"{STATED}.{path}", (path, term), TERM_LABELS.get(path, path))
                continue
            if key == "changes":
                for change in value:
                    add(slug, f"changes.{change['field']}", (change["field"], change["from"], change["to"]),
                        f"In \u201cwhat it changed\u201d: {change['label']}")
            else:
                _flatten(add, slug, key, value)
    return found


def _flatten(add: Callable[..., None], subject: str, path: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, member in value.items():
            _flatten(add, subject, f"{path}.{key}", member)
    elif isinstance(value, list):
        add(subject, path, tuple(tuple(sorted(item.items())) if isinstance(item, dict) else item for item in value))
    else:
        add(subject, path, value)


# Words ------------------------------------------------------------------------------------------------
def _text(path: str, value: Any) -> str:
    """One value of the contract as holders read it."""
    last = path.rsplit(".", 1)[-1]
    if value is None:
        return "not listed" if path.startswith("changes.") else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if path.startswith(f"{STATED}."):
        field, term = value
        return term_value(field, term)
    if path.startswith("changes."):
        field, before, after = value
        return f"{term_value(field, before)} to {term_value(field, after)}"
    if path == "coupons":
        return _coupons(value)
    if path == "participation_fee":
        items = [dict(item) for item in value]
        return "; ".join(f"{money(Decimal(i['amount']))} on {_date(i['paid_on'])}" for i in items) or "none"
    if path == "expires_at":
        moment = datetime.fromisoformat(value).astimezone(NEW_YORK)
        return f"{moment:%A}, {long_date(moment.date())}, {new_york_time(moment)}"
    if path in _MONEY:
        return money(Decimal(value))
    if path in _EXACT:
        return precise(Decimal(value))
    if path == "break_even_discount_rate" or last.endswith("percent") or last == "percent_shown":
        return percent(Decimal(value))
    if isinstance(value, int):
        return count(value)
    if isinstance(value, str) and _is_date(value):
        return _date(value)
    return str(value)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _date(text: str) -> str:
    return long_date(date.fromisoformat(text))


def _coupons(value: tuple) -> str:
    coupons = [dict(item) for item in value]
    if not coupons:
        return "none"
    total = sum((Decimal(c["amount"]) for c in coupons), Decimal(0))
    return (f"{count(len(coupons), 'coupon')}, {_date(coupons[0]['paid_on'])} to {_date(coupons[-1]['paid_on'])}, "
            f"{money(total)} in all")


def _pair(path: str, before: Any, after: Any) -> tuple[str, str, str]:
    """(before, after, what they share) in words: ``Tuesday, Oct 7`` / ``Wednesday, Oct 8`` /
    ``, 2003, 5:00 p.m. New York time``."""
    if path == "expires_at" and before is not None and after is not None:
        was, will = (datetime.fromisoformat(v).astimezone(NEW_YORK) for v in (before, after))
        if was.year == will.year and (was.hour, was.minute) == (will.hour, will.minute):
            def day(moment: datetime) -> str:
                return f"{moment:%A}, {moment:%b} {moment.day}"
            return day(was), day(will), f", {was.year}, {new_york_time(was)}"
    if path == "coupons" and before and after:
        was, will = [dict(i) for i in before], [dict(i) for i in after]
        if _coupons(before) == _coupons(after) or len(was) == len(will):
            differ = [(a, b) for a, b in zip(was, will, strict=True) if a != b]
            if differ:
                a, b = differ[0]
                if (a["paid_on"], a["days"]) == (b["paid_on"], b["days"]):
                    return (money(Decimal(a["amount"])), money(Decimal(b["amount"])),
                            f" for the coupon paid {_date(a['paid_on'])} ({len(differ)} of {len(was)} coupons differ)")
                return _coupon(a), _coupon(b), f" ({len(differ)} of {len(was)} coupons differ; the first shown)"
    suffix = SUFFIXES.get(path, "")
    return _text(path, before), _text(path, after), suffix if before is not None and after is not None else ""


def _coupon(coupon: dict) -> str:
    return f"{money(Decimal(coupon['amount']))} paid {_date(coupon['paid_on'])} for {count(coupon['days'], 'day')}"


# The comparison -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Where:
    principal: Decimal
    day: date

    def __str__(self) -> str:
        return f"{dollars(self.principal)} on {long_date(self.day)}"


@dataclass(frozen=True)
class Case:
    where: Where
    before: str
    after: str
    shared: str = ""

    @property
    def text(self) -> str:
        return f"{self.before} {ARROW} {self.after}{self.shared}"


@dataclass(frozen=True)
class Line:
    """One difference, said once: where it is seen, and each holding and date when the values vary."""

    label: str
    cases: tuple[Case, ...]
    scope: str  # the holdings and dates it is seen for, in words

    @property
    def text(self) -> str:
        return f"{self.label}: {self.cases[0].text}"

    @property
    def varies(self) -> bool:
        """The values differ by holding or date: the line shows the first; :attr:`cases` has them all."""
        return len({(c.before, c.after, c.shared) for c in self.cases}) > 1


@dataclass(frozen=True)
class Group:
    subject: str  # a version's name, "The holder's answer" or "Tender status"
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class InForceChange:
    day: date
    before: str
    after: str


@dataclass(frozen=True)
class Lost:
    """Holders who choose ``day`` had figures and will not."""

    day: date
    principals: tuple[Decimal, ...]
    why: str

    @property
    def holdings_text(self) -> str:
        return _and([dollars(p) for p in self.principals])


@dataclass(frozen=True)
class Effect:
    holdings: tuple[Decimal, ...]
    dates: tuple[date, ...]
    shown_before: tuple[str, ...]
    shown_after: tuple[str, ...]
    groups: tuple[Group, ...]
    in_force: tuple[InForceChange, ...]
    lost: tuple[Lost, ...]

    @property
    def changed(self) -> bool:
        return bool(self.groups or self.in_force or self.lost)

    @property
    def dates_text(self) -> str:
        return dates_text(list(self.dates))

    @property
    def holdings_text(self) -> str:
        return _and([dollars(p) for p in self.holdings])

    @property
    def explains_in_force(self) -> bool:
        return bool(self.in_force) or any(line.label == APPLIES for g in self.groups for line in g.lines)

    def lines(self) -> list[str]:
        """Every difference as one line of plain text (the command line's report; the page has more)."""
        if not self.changed:
            return ["Nothing holders see changes."]
        out = [f"{g.subject}: {line.text} ({line.scope})" if not line.varies else
               f"{g.subject}: {line.text} (for {line.cases[0].where}; it differs by holding and date, "
               f"{len(line.cases)} cases)" for g in self.groups for line in g.lines]
        out += [f"On {long_date(c.day)} the answer is under {c.after} instead of {c.before}." for c in self.in_force]
        out += [f"Holders who choose {long_date(lost.day)} lose their figures: {lost.why}" for lost in self.lost]
        return out


def compare(before: State, after: State) -> Effect:
    """Every difference between what holders get in ``before`` and in ``after``."""
    amounts, days = holdings((before, after)), holder_dates((before, after))
    names = {t.slug: t.name for t in before.terms} | {t.slug: t.name for t in after.terms}
    found: dict[tuple[str, str], list[tuple[Where, Seen | None, Seen | None]]] = {}
    in_force: dict[date, InForceChange] = {}
    lost: dict[tuple[date, str], list[Decimal]] = {}
    for principal in amounts:
        for day in days:
            was, will = holder_document(before, principal, day), holder_document(after, principal, day)
            if (why := _lost(was, will, names)) is not None:
                lost.setdefault((day, why), []).append(principal)
            if "refused" not in was and "refused" not in will and was["in_force"] != will["in_force"]:
                in_force[day] = InForceChange(day, _name(was["in_force"], names), _name(will["in_force"], names))
            for key, pair in _differences(seen(was), seen(will)).items():
                found.setdefault(key, []).append((Where(principal, day), *pair))
    order = [t.slug for t in after.terms] + [t.slug for t in before.terms if t.slug not in
                                             {a.slug for a in after.terms}]
    subjects = [ANSWER, *order, TENDER]
    groups = []
    for subject in subjects:
        lines = tuple(_line(label, cases, amounts, days) for (s, label), cases in found.items()
                      if s == subject and label != IN_FORCE)
        if lines:
            title = {ANSWER: "The holder's answer", TENDER: "Tender status"}.get(subject) or names[subject]
            groups.append(Group(title, lines))
    return Effect(amounts, days, before.names, after.names, tuple(groups),
                  tuple(in_force[d] for d in sorted(in_force)),
                  tuple(Lost(day, tuple(p), why) for (day, why), p in sorted(lost.items())))


def _differences(was: dict, will: dict) -> dict[tuple[str, str], tuple[Seen | None, Seen | None]]:
    """What differs, by (subject, label). A version shown on one side only differs in being shown; an entry
    refused on one side differs in that alone (its lost figures are said apart)."""
    if was[(ANSWER, ENTRY)].value != will[(ANSWER, ENTRY)].value:
        return {(ANSWER, ENTRY): (was[(ANSWER, ENTRY)], will[(ANSWER, ENTRY)])}
    subjects_was, subjects_will = {s for s, _ in was}, {s for s, _ in will}
    out = {}
    for key in [*was, *(k for k in will if k not in was)]:
        subject, label = key
        if (subject not in subjects_was or subject not in subjects_will) and label != SHOWN:
            continue
        a, b = was.get(key), will.get(key)
        applies = [side.get((subject, APPLIES)) for side in (was, will)]
        if (a or b).path.split(".")[0] in FIGURES and any(s is None or s.value is not True for s in applies):
            continue
        if (a.value if a else None) != (b.value if b else None):
            out[key] = (a, b)
    return out


def _line(label: str, found: list[tuple[Where, Seen | None, Seen | None]], amounts: tuple[Decimal, ...],
          days: tuple[date, ...]) -> Line:
    cases = []
    for where, a, b in found:
        path = (a or b).path
        if label == SHOWN:
            cases.append(Case(where, "yes" if a else "no", "yes" if b else "no"))
            continue
        cases.append(Case(where, *_pair(path, a.value if a else None, b.value if b else None)))
    return Line(label, tuple(cases), _scope([c.where for c in cases], amounts, days))


def _scope(places: list[Where], amounts: tuple[Decimal, ...], days: tuple[date, ...]) -> str:
    """``every holding checked, on every date checked``; ``$1,000 and $100,000, on Oct 7, 2003``; ..."""
    principals = sorted({w.principal for w in places})
    on = sorted({w.day for w in places})
    if len(places) == len(principals) * len(on):
        who = "every holding checked" if len(principals) == len(amounts) else _and([dollars(p) for p in principals])
        when = "on every date checked" if len(on) == len(days) else "on " + dates_text(on)
        return f"{who}, {when}"
    by_holding: dict[Decimal, list[date]] = {}
    for w in places:
        by_holding.setdefault(w.principal, []).append(w.day)
    return "; ".join(f"{dollars(p)} on {dates_text(sorted(ds))}" for p, ds in by_holding.items())


def dates_text(days: list[date]) -> str:
    """``Oct 6, Oct 7 and Oct 8, 2003``: the year once for each run of dates in the same year."""
    parts = []
    for i, day in enumerate(days):
        last_of_year = i + 1 == len(days) or days[i + 1].year != day.year
        parts.append(long_date(day) if last_of_year else f"{day:%b} {day.day}")
    return _and(parts)


def dollars(principal: Decimal) -> str:
    """A holding of Old Notes, in whole dollars as holders type it: ``$100,000``."""
    return f"${principal:,}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _name(slug: str | None, names: dict[str, str]) -> str:
    return "no version" if slug is None else names.get(slug, slug)


def _figures(document: dict[str, Any]) -> str | None:
    """None if this answer has figures; otherwise why not."""
    if "refused" in document:
        return f"the entry is refused: {document['refused']}"
    current = next((v for v in document["versions"] if v["slug"] == document["in_force"]), None)
    if current is None:
        return "no version is in force on that date."
    if not current["available"]:
        return f"{current['name']} is in force but does not apply: {current['unavailable_reason']}"
    return None


def _lost(was: dict[str, Any], will: dict[str, Any], names: dict[str, str]) -> str | None:
    if _figures(was) is None and (why := _figures(will)) is not None:
        return why
    return None
