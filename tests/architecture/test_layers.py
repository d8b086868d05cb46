"""The layering the folders show holds at run time: no import cycle, one named hook upward, lazy imports explained."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

from tests.architecture.import_graph import PACKAGE, graph, modules


def test_the_runtime_import_graph_has_no_cycle() -> None:
    try:
        list(TopologicalSorter(graph()).static_order())
    except CycleError as exc:  # pragma: no cover - the assertion message is the point
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_the_graph_sees_lazy_imports() -> None:
    # Framework.score imports scoring.card inside the method; the edge must be in the graph.
    assert "ecomperf.scoring.card" in graph()["ecomperf.framework"]


def test_the_graph_skips_type_checking_imports() -> None:
    # cli/score.py names ScoreCard only under `if TYPE_CHECKING:`.
    assert "ecomperf.scoring.results" not in graph()["ecomperf.cli.score"]


def test_only_the_named_hook_imports_by_name() -> None:
    def imports_by_name(tree: ast.AST) -> bool:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "importlib" for a in node.names):
                return True
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "importlib":
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
                return True
        return False

    users = [name for name, path in modules().items() if imports_by_name(ast.parse(path.read_text("utf-8")))]
    assert users == ["ecomperf._upward"]


def test_every_lazy_import_says_why() -> None:
    silent = []
    for name, path in modules().items():
        lines = path.read_text("utf-8").splitlines()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    line, above = lines[node.lineno - 1], lines[node.lineno - 2]
                    if "#" not in line and not above.strip().startswith("#"):
                        silent.append(f"{name}:{node.lineno}: {line.strip()}")
    assert silent == []


def test_scoring_and_below_never_import_the_facade() -> None:
    below = ("ecomperf.model", "ecomperf.validation", "ecomperf.loading", "ecomperf.scoring", "ecomperf.batch",
             "ecomperf.render")
    edges = graph()
    offenders = [name for name in edges if name.startswith(below) and "ecomperf.framework" in edges[name]]
    assert offenders == []


def test_package_folder_exists() -> None:
    assert (PACKAGE / "py.typed").is_file()
