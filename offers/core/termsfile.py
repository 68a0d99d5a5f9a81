"""The terms file format (spec: "Terms file format"), to and from :class:`OfferTerms`.

Errors are collected per field, keyed by the field's dotted path in the file
(``new_notes.rate_percent``), so a person fixing a file sees every problem at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from .daycount import DAY_COUNTS
from .terms import (
    FEE_BASES,
    FRACTION_RULES,
    NewNotesTerms,
    OfferTerms,
    OldNotesTerms,
    ParticipationFeeTerms,
    WarrantTerms,
)
from .validation import RANGES, parse_number, validate_terms

DAY_BEFORE_CONSUMMATION = "day_before_consummation"
CONSUMMATION = "consummation"
SEED_TERMS_DIR = Path(__file__).resolve().parent.parent / "seed_terms"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# Keys people put in a terms file that belong elsewhere, and where.
NOT_TERMS = {
    "status": "a terms file holds the terms, not whether holders see them: it is loaded as a draft, and "
              "published from its page in the admin (or with import_terms --publish).",
}


class TermsFileError(ValueError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class _Reader:
    """Reads typed values out of nested dicts, recording an error per bad field.

    It remembers which keys of each object it read, so :meth:`refuse_unknown_keys` can
    name every other key (a misspelling with the field it probably meant).
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.known: dict[int, tuple[dict, str, set[str]]] = {}  # by id(object): (object, path prefix, keys)
        self.missing: dict[str, str] = {}  # path -> key, for keys reported missing

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def knows(self, data: Any, path: str) -> None:
        if isinstance(data, dict):
            prefix, _, key = path.rpartition(".")
            self.known.setdefault(id(data), (data, f"{prefix}." if prefix else "", set()))[2].add(key)

    def get(self, data: Any, path: str, convert: Callable[[Any], Any], *, nullable: bool = False) -> Any:
        key = path.rsplit(".", 1)[-1]
        self.knows(data, path)
        if not isinstance(data, dict) or key not in data:
            self.fail(path, "is missing.")
            self.missing[path] = key
            return None
        value = data[key]
        if value is None:
            if not nullable:
                self.fail(path, "may not be null.")
            return None
        try:
            return convert(value)
        except (TypeError, ValueError, InvalidOperation) as exc:
            self.fail(path, str(exc))
            return None

    def section(self, data: Any, path: str, *, nullable: bool = False) -> dict | None:
        value = self.get(data, path, _object, nullable=nullable)
        return value

    def refuse_unknown_keys(self) -> None:
        """``relase_date: no such field; did you mean `release_date`?``: a key the format does not have is refused
        by name, and a field reported missing because it was misspelled is reported once, on the misspelling."""
        for data, prefix, keys in self.known.values():
            for key in data:
                if key in keys:
                    continue
                [near] = get_close_matches(key, sorted(keys), n=1, cutoff=0.6) or [None]
                if key in NOT_TERMS:
                    self.fail(f"{prefix}{key}", f"no such field; {NOT_TERMS[key]}")
                elif near is not None:
                    meant = f"{prefix}{near}"
                    if meant in self.missing:  # said once, on the misspelling (a section's fields with it)
                        for path in [p for p in self.missing if p == meant or p.startswith(f"{meant}.")]:
                            self.errors.pop(path, None)
                    self.fail(f"{prefix}{key}", f"no such field; did you mean `{near}`?")
                else:
                    self.fail(f"{prefix}{key}", "no such field; the fields here are "
                              + ", ".join(f"`{k}`" for k in sorted(keys)) + ".")


def _object(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError("must be an object.")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be non-empty text.")
    return value.strip()


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise ValueError("must be lower-case letters, digits and hyphens, such as september-2003.")
    return value


def _number(path: str) -> Callable[[Any], Decimal]:
    """A number written as a string (``"12.75"``, ``"27,412,000"``) or a whole number; refused in the words of
    the field's range."""

    def convert(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError(f"{json.dumps(value)} is not written as a string; enter {RANGES[path].words()}, "
                             f"written as a string, such as \"{RANGES[path].example}\".")
        try:
            return parse_number(str(value))
        except ValueError:
            raise ValueError(RANGES[path].not_a_number(str(value))) from None

    return convert


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("must be an ISO date, such as \"2003-10-10\".")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real ISO date (YYYY-MM-DD), such as \"2003-10-10\".") from None


def _datetime(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError("must be an ISO date and time with its UTC offset, such as \"2003-10-07T17:00:00-04:00\".")
    return parsed


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}.")
        return value

    return convert


def _date_or(keyword: str) -> Callable[[Any], date | None]:
    """A date, or ``keyword`` (read as None: "decided by the consummation date")."""

    def convert(value: Any) -> date | None:
        if value == keyword:
            return None
        try:
            return _date(value)
        except ValueError:
            raise ValueError(f"must be \"{keyword}\" or an ISO date, such as \"2003-10-10\".") from None

    return convert


def _months(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value or not all(
        isinstance(m, int) and not isinstance(m, bool) for m in value
    ):
        raise ValueError("must be a list of month numbers, such as [2, 5, 8, 11].")
    return tuple(value)


def _day(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("must be a day of the month, such as 1.")
    return value


def _paid_on(value: Any) -> tuple[date | None, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a list of \"consummation\" or ISO dates, such as [\"consummation\"].")
    return tuple(_date_or(CONSUMMATION)(item) for item in value)


def _optional_flag(r: _Reader, data: dict, path: str) -> bool:
    """An optional true/false key, false when absent (extensions to the spec's format)."""
    key = path.rsplit(".", 1)[-1]
    r.knows(data, path)
    if key not in data:
        return False
    value = data[key]
    if not isinstance(value, bool):
        r.fail(path, "must be true or false.")
        return False
    return value


def terms_from_dict(data: Any) -> OfferTerms:
    """Read one terms file's content; raise :class:`TermsFileError` listing every bad field."""
    r = _Reader()
    if not isinstance(data, dict):
        raise TermsFileError({"file": ["must hold one JSON object, the terms of one version."]})
    old = r.section(data, "old_notes") or {}
    new = r.section(data, "new_notes") or {}
    fee = r.section(data, "participation_fee", nullable=True)
    war = r.section(data, "warrants") or {}
    fee_terms = None
    if fee is not None:
        percent = r.get(fee, "participation_fee.percent", _number("participation_fee.percent"), nullable=True)
        per_1000 = r.get(fee, "participation_fee.per_1000", _number("participation_fee.per_1000"), nullable=True)
        fee_terms = ParticipationFeeTerms(
            basis=r.get(fee, "participation_fee.basis", _choice(FEE_BASES)),
            percent=percent,
            per_1000=per_1000,
            paid_on=r.get(fee, "participation_fee.paid_on", _paid_on) or (),
        )
    terms = OfferTerms(
        slug=r.get(data, "slug", _slug),
        name=r.get(data, "name", _text),
        announced=r.get(data, "announced", _date, nullable=True),
        source=r.get(data, "source", _text),
        expires_at=r.get(data, "expires_at", _datetime),
        expected_consummation=r.get(data, "expected_consummation", _date),
        minimum_tender_percent=r.get(data, "minimum_tender_percent", _number("minimum_tender_percent")),
        old_notes=OldNotesTerms(
            name=r.get(old, "old_notes.name", _text),
            rate_percent=r.get(old, "old_notes.rate_percent", _number("old_notes.rate_percent")),
            accrual_start=r.get(old, "old_notes.accrual_start", _date),
            accrual_end=r.get(old, "old_notes.accrual_end", _date_or(DAY_BEFORE_CONSUMMATION)),
            day_count=r.get(old, "old_notes.day_count", _choice(DAY_COUNTS)),
            outstanding=r.get(old, "old_notes.outstanding", _number("old_notes.outstanding")),
        ),
        new_notes=NewNotesTerms(
            rate_percent=r.get(new, "new_notes.rate_percent", _number("new_notes.rate_percent")),
            interest_from=r.get(new, "new_notes.interest_from", _date_or(CONSUMMATION)),
            first_payment=r.get(new, "new_notes.first_payment", _date, nullable=True),
            payment_months=r.get(new, "new_notes.payment_months", _months),
            payment_day=r.get(new, "new_notes.payment_day", _day),
            maturity=r.get(new, "new_notes.maturity", _date),
            day_count=r.get(new, "new_notes.day_count", _choice(DAY_COUNTS)),
            increment=r.get(new, "new_notes.increment", _number("new_notes.increment")),
            fractions=r.get(new, "new_notes.fractions", _choice(FRACTION_RULES)),
        ),
        participation_fee=fee_terms,
        warrants=WarrantTerms(
            shares_per_1000=r.get(war, "warrants.shares_per_1000", _number("warrants.shares_per_1000")),
            exercise_price=r.get(war, "warrants.exercise_price", _number("warrants.exercise_price")),
            detachable_from=r.get(war, "warrants.detachable_from", _date),
            exercisable_from=r.get(war, "warrants.exercisable_from", _date),
            expires=r.get(war, "warrants.expires", _date),
            fractions=r.get(war, "warrants.fractions", _choice(("round_down",))),
            may_expire_after_maturity=_optional_flag(r, war, "warrants.may_expire_after_maturity"),
        ),
    )
    r.refuse_unknown_keys()
    if r.errors:
        raise TermsFileError(r.errors)

    problems = validate_terms(terms)
    if problems:
        raise TermsFileError(problems)
    return terms


def _iso(value: date | None, keyword: str | None = None) -> str | None:
    if value is None:
        return keyword
    return value.isoformat()


def _dec(value: Decimal | None) -> str | None:
    """Plain digits, never exponent notation: str(Decimal("1E+3")) is "1E+3", which the reader refuses."""
    return None if value is None else format(value, "f")


def terms_to_dict(terms: OfferTerms) -> dict[str, Any]:
    """The terms file content for ``terms``; ``terms_from_dict`` reads it back unchanged."""
    old, new, fee, war = terms.old_notes, terms.new_notes, terms.participation_fee, terms.warrants
    return {
        "slug": terms.slug,
        "name": terms.name,
        "announced": _iso(terms.announced),
        "source": terms.source,
        "expires_at": terms.expires_at.isoformat(),
        "expected_consummation": terms.expected_consummation.isoformat(),
        "minimum_tender_percent": _dec(terms.minimum_tender_percent),
        "old_notes": {
            "name": old.name,
            "rate_percent": _dec(old.rate_percent),
            "accrual_start": old.accrual_start.isoformat(),
            "accrual_end": _iso(old.accrual_end, DAY_BEFORE_CONSUMMATION),
            "day_count": old.day_count,
            "outstanding": _dec(old.outstanding),
        },
        "new_notes": {
            "rate_percent": _dec(new.rate_percent),
            "interest_from": _iso(new.interest_from, CONSUMMATION),
            "first_payment": _iso(new.first_payment),
            "payment_months": list(new.payment_months),
            "payment_day": new.payment_day,
            "maturity": new.maturity.isoformat(),
            "day_count": new.day_count,
            "increment": _dec(new.increment),
            "fractions": new.fractions,
        },
        "participation_fee": None
        if fee is None
        else {
            "basis": fee.basis,
            "percent": _dec(fee.percent),
            "per_1000": _dec(fee.per_1000),
            "paid_on": [_iso(d, CONSUMMATION) for d in fee.paid_on],
        },
        "warrants": {
            "shares_per_1000": _dec(war.shares_per_1000),
            "exercise_price": _dec(war.exercise_price),
            "detachable_from": war.detachable_from.isoformat(),
            "exercisable_from": war.exercisable_from.isoformat(),
            "expires": war.expires.isoformat(),
            "fractions": war.fractions,
            **({"may_expire_after_maturity": True} if war.may_expire_after_maturity else {}),
        },
    }


def load_terms_file(path: str | Path) -> OfferTerms:
    """Read and check one terms file; a file that is not JSON is a TermsFileError too."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TermsFileError({"file": [f"{path}: cannot be read as JSON ({exc})."]}) from None
    return terms_from_dict(data)


def dump_terms(terms: OfferTerms) -> str:
    return json.dumps(terms_to_dict(terms), indent=2) + "\n"


def seed_terms() -> dict[str, OfferTerms]:
    """The terms files shipped with the product (copied from the spec), by slug."""
    loaded = (load_terms_file(p) for p in sorted(SEED_TERMS_DIR.glob("*.json")))
    return {terms.slug: terms for terms in loaded}
