"""The house keeps its shape: no import circle among the app's modules, even one hidden inside a function,
and holder data never reaches into the staff views (issue 18, item 7)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "offers"


def module_name(path: Path) -> str:
    relative = path.relative_to(APP.parent).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__")


def imports_of(source: str, package: str = "offers") -> set[str]:
    """Every module of ``package`` imported anywhere in ``source``: at the top, in a function, or under a
    condition (``from offers import services`` counts as ``offers.services``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == package or name.startswith(f"{package}.")}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in APP.glob("**/*.py") if "migrations" not in p.parts}
    return {name: imports_of(path.read_text(encoding="utf-8")) & set(modules) - {name}
            for name, path in modules.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle found by a depth-first walk, as the modules along it."""
    found, state = [], {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                found.append([*trail[trail.index(target):], target])
            elif target not in state:
                walk(target, [*trail, target])
        state[node] = "done"

    for start in sorted(edges):
        if start not in state:
            walk(start, [start])
    return found


def test_the_check_sees_an_import_inside_a_function_and_a_circle():
    """Guard against the checks below passing vacuously."""
    source = "def clean(self):\n    from offers.adapter import terms_from_version\n"
    assert "offers.adapter" in imports_of(source)
    assert circles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]


def test_no_module_of_the_app_imports_itself_back_even_inside_a_function():
    assert circles(graph()) == []


def test_the_model_calls_no_adapter_and_holder_services_no_staff_view():
    edges = graph()
    assert "offers.adapter" not in edges["offers.models"]
    assert "offers.staff_views" not in edges["offers.services"]
    assert "offers.preview" in edges["offers.services"]
