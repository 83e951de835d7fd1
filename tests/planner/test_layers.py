"""The planner is a pure library: no Django, no backend, OR-Tools in one module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "planner"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_django_or_backend_imports() -> None:
    """No module of the planner imports django or the backend."""
    for path in PACKAGE.rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("django", "backend")), f"{path.name} imports {name}"


def test_ortools_stays_in_the_adapter() -> None:
    """Only search/ortools_model.py imports OR-Tools."""
    users = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if any(n.startswith("ortools") for n in _imports(p))
    }
    assert users == {"search/ortools_model.py"}


def test_import_does_not_load_django() -> None:
    """Importing planner in a fresh interpreter leaves Django unloaded."""
    code = "import sys, planner; sys.exit('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, check=False)
    assert result.returncode == 0
