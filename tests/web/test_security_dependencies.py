"""Dependency ranges: bounded on both sides, and no floor that a published advisory names."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# The last release of each package that a published security advisory applies to. A floor
# at or below it would let an install pick a vulnerable version. Reviewed: docs/deploy.md.
LAST_VULNERABLE = {
    # CVE-2025-13372 (FilteredRelation alias SQL injection), CVE-2025-64460 (XML serializer
    # denial of service), fixed in 5.2.9; CVE-2025-64459 and CVE-2025-64458 fixed in 5.2.8.
    "django": Version("5.2.8"),
    # CVE-2024-1135 and CVE-2024-6827 (request smuggling), fixed in 22.0.0.
    "gunicorn": Version("21.2.0"),
}


def runtime_requirements() -> list[Requirement]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def floor(requirement: Requirement) -> Version | None:
    floors = [Version(spec.version) for spec in requirement.specifier if spec.operator in (">=", "==", "~=")]
    return max(floors, default=None)


@pytest.mark.parametrize("requirement", runtime_requirements(), ids=lambda r: r.name)
def test_each_runtime_dependency_has_a_floor_and_a_ceiling(requirement):
    assert floor(requirement) is not None, f"{requirement}: no lower bound"
    assert any(spec.operator in ("<", "==", "~=") for spec in requirement.specifier), f"{requirement}: no upper bound"


@pytest.mark.parametrize("package", sorted(LAST_VULNERABLE))
def test_no_floor_allows_a_version_with_a_known_advisory(package):
    requirement = next(r for r in runtime_requirements() if r.name.lower() == package)
    assert floor(requirement) > LAST_VULNERABLE[package]
    assert not requirement.specifier.contains(LAST_VULNERABLE[package])


@pytest.mark.parametrize("requirement", runtime_requirements(), ids=lambda r: r.name)
def test_the_installed_version_is_inside_the_range(requirement):
    """So the floors are versions CI actually runs, not a promise nobody checked."""
    assert requirement.specifier.contains(version(requirement.name), prereleases=True)
