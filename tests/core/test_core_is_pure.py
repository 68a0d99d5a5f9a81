"""The calculation core stays pure: no Django, no floats, no round(), and its doctests pass."""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "offers" / "core"
CORE_FILES = sorted(CORE.glob("**/*.py"))


def module_name(path: Path) -> str:
    relative = path.relative_to(CORE.parent.parent).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__")


def django_imports(source: str) -> list[str]:
    """Modules imported by ``import django...`` or ``from django... import``."""
    imported = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    return [name for name in imported if name == "django" or name.startswith("django.")]


def float_or_round_calls(source: str) -> list[str]:
    return [
        f"line {node.lineno}: {node.func.id}()"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("float", "round")
    ]


def test_the_core_has_modules_to_check():
    assert {p.name for p in CORE_FILES} >= {"daycount.py", "money.py", "outcome.py", "inputs.py"}


def test_the_checks_see_a_django_import_and_a_float_call():
    """Guard against the checks below passing vacuously."""
    source = "from django.db import models\nimport django\nx = float('1.5') + round(2.5)\n"
    assert django_imports(source) == ["django.db", "django"]
    assert float_or_round_calls(source) == ["line 3: float()", "line 3: round()"]


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_core_module_does_not_import_django(path):
    assert django_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_core_module_never_calls_float_or_round(path):
    assert float_or_round_calls(path.read_text(encoding="utf-8")) == []


def test_core_doctests_pass():
    attempted = 0
    for path in CORE_FILES:
        module = importlib.import_module(module_name(path))
        result = doctest.testmod(module, report=False)
        assert result.failed == 0, f"{module.__name__}: {result.failed} doctest(s) failed"
        attempted += result.attempted
    assert attempted > 0
    # the modules whose docstrings carry worked examples each run some
    for name in ("daycount", "money", "outcome", "inputs"):
        assert doctest.testmod(importlib.import_module(f"offers.core.{name}"), report=False).attempted > 0
