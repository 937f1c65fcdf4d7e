"""The shape of the code, checked rather than hoped for (docs/DEVELOPING.md, "Layout"): imports
between portal's packages only go down (no cycle), nothing below the application factory imports
the application package, and no module reaches into a library's private names, so a library
upgrade cannot silently break the portal. The layers themselves are import-linter's contract in
pyproject.toml, run by scripts/test.sh."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "portal"
# the application factory, the console script, and the commands `flask` finds by entry point
ENTRY_POINTS = {"portal", "portal.cli", "portal.commands"}
# Underscored names that are public: Werkzeug documents LocalProxy._get_current_object() for
# handing the real app to a thread. And one known debt: Flask-Login keeps the request's user in
# `g._login_user` with no public setter; ops/failure.py sets an anonymous one there so that an
# error page never queries a database that is down (to replace when Flask-Login offers one).
ALLOWED = {"_get_current_object", "_login_user"}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("portal", cache_dir=None)  # never a stale cached graph


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _package_edges(graph) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = _package(module), _package(imported)
            if source != target and source != "portal" and target != "portal":
                edges.setdefault(source, set()).add(target)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the package graph, else None (depth-first search)."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for following in sorted(edges.get(node, ())):
            if state.get(following) == "open":
                return path[path.index(following):] + [following]
            if following not in state and (found := visit(following)):
                return found
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_cycle_between_packages(graph):
    assert _cycle(_package_edges(graph)) is None


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


def test_nothing_below_the_factory_imports_the_application_package(graph):
    importers = graph.find_modules_that_directly_import("portal") - ENTRY_POINTS
    assert importers == set()


def _third_party(name: str) -> bool:
    top = name.split(".")[0]
    return top != "portal" and top not in sys.stdlib_module_names and top != "__future__"


def _private_uses(path: Path) -> list[str]:
    """`from lib import _name`, `import lib._mod` and `lib._name` for third-party `lib`."""
    tree = ast.parse(path.read_text(), str(path))
    aliases: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and _third_party(node.module):
            private = [a.name for a in node.names if a.name.startswith("_")]
            if any(part.startswith("_") for part in node.module.split(".")) or private:
                found.append(f"{path.name}:{node.lineno} from {node.module} import {private}")
            aliases.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _third_party(alias.name):
                    if any(part.startswith("_") for part in alias.name.split(".")):
                        found.append(f"{path.name}:{node.lineno} import {alias.name}")
                    aliases.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__") and node.attr not in ALLOWED
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "hasattr"):
            literal = node.args[1] if len(node.args) > 1 else None
            name = str(getattr(literal, "value", ""))
            if name.startswith("_") and not name.endswith("__") and name not in ALLOWED:
                found.append(f"{path.name}:{node.lineno} {node.func.id}(…, {literal.value!r})")
    return found


def test_no_private_name_of_a_library_is_used():
    found = [use for path in sorted(PORTAL.rglob("*.py")) for use in _private_uses(path)]
    assert found == []


def test_the_private_name_check_sees_each_kind_of_use(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from jinja2.ext import _make_new_gettext\nimport flask_limiter._extension\n"
                      "from flask_limiter import Limiter\nLimiter._check\n"
                      "getattr(Limiter, '_Limiter__inject_headers')\n")
    assert len(_private_uses(sample)) == 4


GETTEXT = {"_", "_l", "_n"}  # gettext's conventional names, public by custom


def _private_portal_imports(path: Path) -> list[str]:
    """`from portal.x import _name`: a helper another module relies on must be public."""
    tree = ast.parse(path.read_text(), str(path))
    return [f"{path.relative_to(ROOT)}:{node.lineno} from {node.module} import {alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portal")
            for alias in node.names if alias.name.startswith("_") and alias.name not in GETTEXT]


def test_no_module_imports_another_modules_private_name():
    found = [use for path in sorted(PORTAL.rglob("*.py")) for use in _private_portal_imports(path)]
    assert found == []


ROUTE_MODULES = ("views", "staff_views", "admin_views", "actions", "api")


def test_route_modules_never_import_each_other(graph):
    """Views, actions and API modules share page helpers through a module of their own
    (tickets/pages.py, documents/responses.py), never by importing one another."""
    blueprints = {"portal.api", "portal.web.api"}  # the API blueprint and what gathers its routes
    routes = {module for module in graph.modules
              if module.rsplit(".", 1)[-1] in ROUTE_MODULES and module not in blueprints}
    found = sorted(f"{module} → {imported}" for module in routes
                   for imported in graph.find_modules_directly_imported_by(module) & routes)
    assert found == []


def _sources():
    return [path for path in PORTAL.rglob("*.py")
            if path.name != "forms.py" or path.parent.name != "core"]


def test_every_form_derives_from_the_portal_form():
    """The base form refuses what cannot be stored (a NUL, a too-large number) for every form at
    once (portal/core/forms.py); a form built on FlaskForm directly would miss it."""
    offenders = [str(path.relative_to(ROOT)) for path in _sources()
                 if "FlaskForm" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_one_name_for_the_api_schema_modules_and_no_hand_parsing():
    """Each package writes its API models in `api_schemas.py`; bodies are never read by hand."""
    names = {path.name for path in PORTAL.rglob("api_*.py")}
    assert names == {"api_schemas.py"}
    for path in PORTAL.rglob("api.py"):
        if path.parent.name == "web":  # the machinery that does the reading, once
            continue
        text = path.read_text(encoding="utf-8")
        assert "get_json(" not in text and "request.args" not in text, path
