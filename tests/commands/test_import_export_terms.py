"""``manage.py export_terms`` and ``import_terms``: a loss-free round trip, all-or-nothing imports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import QuerySet

import offers
from offers.adapter import terms_from_version
from offers.models import OfferVersion

SEED_DIR = Path(offers.__file__).resolve().parent / "seed_terms"
SEEDED = ("original", "september-2003")

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def failure(command: str, *args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(command, *args)
    return raised.value


def stored_terms() -> dict:
    return {row.slug: terms_from_version(row) for row in OfferVersion.objects.select_related("old_notes")}


def seed_json(slug: str) -> dict:
    return json.loads((SEED_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def variant(tmp_path: Path, name: str, **changes: object) -> Path:
    """A copy of the original terms file with top-level keys or ``section.key`` paths changed."""
    data = seed_json("original")
    for path, value in changes.items():
        *sections, key = path.split("__")
        target = data
        for section in sections:
            target = target[section]
        target[key] = value
    if "slug" in changes and "name" not in changes:
        data["name"] = f"{data['name']}, as {changes['slug']}"  # no two versions share a name
    file = tmp_path / f"{name}.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    return file


def test_export_writes_each_version_as_its_seed_file(tmp_path):
    run("export_terms", "--output-dir", str(tmp_path))

    assert sorted(p.name for p in tmp_path.iterdir()) == ["original.json", "september-2003.json"]
    for slug in SEEDED:
        assert json.loads((tmp_path / f"{slug}.json").read_text(encoding="utf-8")) == seed_json(slug)


def test_export_then_import_into_an_empty_table_loses_nothing(tmp_path):
    before = stored_terms()
    run("export_terms", "--output-dir", str(tmp_path))
    # The product refuses to delete published versions; the plain QuerySet.delete empties the table.
    QuerySet.delete(OfferVersion.objects.all())
    assert not OfferVersion.objects.exists()

    run("import_terms", "--publish", *(str(tmp_path / f"{slug}.json") for slug in SEEDED))

    assert set(before) == set(SEEDED)
    assert stored_terms() == before
    assert [row.slug for row in OfferVersion.objects.published()] == list(SEEDED)


def test_one_slug_without_a_directory_prints_its_terms_file():
    assert json.loads(run("export_terms", "september-2003")) == seed_json("september-2003")


def test_export_of_an_unknown_slug_exits_2_and_lists_the_versions(tmp_path):
    error = failure("export_terms", "original", "no-such-version", "--output-dir", str(tmp_path))

    assert error.returncode == 2
    assert str(error) == "slug: there is no version no-such-version; the versions are: original, september-2003."
    assert list(tmp_path.iterdir()) == []


def test_export_of_several_versions_needs_a_directory():
    error = failure("export_terms")

    assert error.returncode == 2
    assert str(error).startswith("output-dir: ")


def test_import_of_a_new_version_makes_a_draft_unless_published(tmp_path):
    run("import_terms", str(variant(tmp_path, "third", slug="third")))
    run("import_terms", "--publish", str(variant(tmp_path, "fourth", slug="fourth", announced="2003-12-01")))

    assert OfferVersion.objects.get(slug="third").status == OfferVersion.Status.DRAFT
    assert OfferVersion.objects.get(slug="fourth").status == OfferVersion.Status.PUBLISHED


def test_import_updates_an_existing_version_and_keeps_its_status(tmp_path):
    OfferVersion.objects.filter(slug="september-2003").update(status=OfferVersion.Status.ARCHIVED)
    data = seed_json("september-2003") | {"name": "Amended terms, renamed"}
    file = tmp_path / "september-2003.json"
    file.write_text(json.dumps(data), encoding="utf-8")

    out = run("import_terms", str(file))

    row = OfferVersion.objects.get(slug="september-2003")
    assert (row.name, row.status) == ("Amended terms, renamed", OfferVersion.Status.ARCHIVED)
    # Archived, it is not shown to holders: nothing they see changes.
    assert out.splitlines() == [f"september-2003: updated as archived from {file}", "What holders see:",
                                "- Nothing holders see changes."]
    assert OfferVersion.objects.count() == 2


def test_a_bad_file_saves_nothing_and_names_the_file_and_field(tmp_path):
    good = variant(tmp_path, "third", slug="third")
    bad = variant(tmp_path, "bad", slug="bad", new_notes__rate_percent="twelve")
    before = stored_terms()

    error = failure("import_terms", str(good), str(bad))

    assert error.returncode == 2
    assert str(error).startswith(f"terms: {bad}: new_notes.rate_percent: \"twelve\" is not a number; enter a "
                                 "percentage from 0 to 100, such as 12")
    assert stored_terms() == before


def test_a_file_refused_on_saving_undoes_the_files_saved_before_it(tmp_path):
    # Valid on its own, but its Old Notes differ from the stored security: refused by save_terms,
    # after the first file was already written in the same transaction.
    good = variant(tmp_path, "third", slug="third")
    clashing = variant(tmp_path, "fourth", slug="fourth", old_notes__outstanding="1000")
    before = stored_terms()

    error = failure("import_terms", str(good), str(clashing))

    assert error.returncode == 2
    assert str(error).startswith(f"terms: {clashing}: old_notes: outstanding is 1000 in the file")
    assert stored_terms() == before


def test_two_files_with_one_slug_are_refused(tmp_path):
    first, second = variant(tmp_path, "a", slug="third"), variant(tmp_path, "b", slug="third")

    error = failure("import_terms", str(first), str(second))

    assert error.returncode == 2
    assert str(error).startswith(f"terms: {second}: slug: third is also the slug in {first}")
    assert not OfferVersion.objects.filter(slug="third").exists()


def test_publishing_a_second_version_with_no_announcement_date_is_refused(tmp_path):
    # The original terms have none: a later version must say when it was announced (rule 11).
    error = failure("import_terms", "--publish", str(variant(tmp_path, "undated", slug="undated")))
    assert error.returncode == 2
    assert "announced: give the date these terms were announced, such as 2003-09-18" in str(error)
    assert not OfferVersion.objects.filter(slug="undated").exists()


def test_importing_a_published_version_says_what_holders_see_change(tmp_path):
    data = seed_json("september-2003")
    data["warrants"]["exercise_price"] = "4.50"
    file = tmp_path / "september-2003.json"
    file.write_text(json.dumps(data), encoding="utf-8")

    out = run("import_terms", str(file))

    lines = out.splitlines()
    assert lines[:2] == [f"september-2003: updated as published from {file}", "What holders see:"]
    assert ("- September 2003 amendment: Warrant exercise price: $3.50 \u2192 $4.50 a share (every holding checked, "
            "on Oct 7, Oct 8 and Oct 10, 2003)") in lines


def test_publishing_a_version_on_another_ones_announcement_date_is_refused(tmp_path):
    error = failure("import_terms", "--publish", str(variant(tmp_path, "same-day", slug="same-day",
                                                             announced="2003-09-18")))
    assert error.returncode == 2
    assert "announced: September 2003 amendment is published with the same announcement date (2003-09-18)" in str(
        error)
    assert not OfferVersion.objects.filter(slug="same-day").exists()
