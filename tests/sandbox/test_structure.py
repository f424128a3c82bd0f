"""The sandbox's modules import each other without a cycle, type-only imports included: the
routes read `state.py`, and `server.py` (uvicorn) is imported by nothing but the package."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import devin_pipeline.sandbox as sandbox

PACKAGE = "devin_pipeline.sandbox"
ROOT = Path(sandbox.__file__).parent
MODULES = {path.stem for path in ROOT.glob("*.py")} - {"__init__", "__main__"}


def imported_modules(path: Path) -> set[str]:
    """The sandbox modules `path` imports anywhere (module level, functions, TYPE_CHECKING)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
            found |= {alias.name for alias in node.names} & MODULES
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE + "."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith(PACKAGE + ".")}
    return found


def import_graph() -> dict[str, set[str]]:
    return {name: imported_modules(ROOT / f"{name}.py") for name in MODULES}


def test_no_import_cycle_between_sandbox_modules():
    graph = import_graph()
    assert sum(len(deps) for deps in graph.values()) > 30  # the parser sees the imports
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None


def test_routes_read_the_state_not_the_server():
    graph = import_graph()
    assert not [name for name, deps in graph.items() if "server" in deps and name != "cli"]
    assert "state" in graph["app"] | graph["auth"]
