"""The layering of ui/, as rules a change cannot break by accident.

- Only ``ui.widgets`` imports Streamlit; the engine imports NumPy and nothing of ours above it.
- A page builder (``ui.pages.<page>``) imports no other page's module and no widget.
- The figure parts (``ui.figures``) import no page and no widget.
- No ui file is longer than 400 lines.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI = sorted((ROOT / "ui").rglob("*.py"))
MAX_LINES = 400


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _touches(imports: set[str], prefix: str) -> set[str]:
    return {m for m in imports if m == prefix or m.startswith(prefix + ".")}


ENGINE = sorted((ROOT / "optim_core").glob("*.py"))


@pytest.mark.parametrize("path", [p for p in UI if "widgets" not in p.parts] + ENGINE, ids=_name)
def test_only_the_widgets_import_streamlit(path):
    assert not _touches(_imports(path), "streamlit")


@pytest.mark.parametrize("path", ENGINE, ids=_name)
def test_the_engine_imports_numpy_and_itself_only(path):
    third_party = {m.split(".")[0] for m in _imports(path)} - set(sys.stdlib_module_names) - {"optim_core", ""}
    # a typed f is differentiated by SymPy, imported there on the first compile (import optim_core stays NumPy)
    assert third_party <= ({"numpy", "sympy"} if path.stem == "expression" else {"numpy"})


@pytest.mark.parametrize("path", sorted((ROOT / "ui" / "pages").glob("[a-z]*.py")), ids=_name)
def test_a_page_builder_imports_no_other_page_and_no_widget(path):
    imports = _imports(path)
    pages = {m.split(".")[2] for m in _touches(imports, "ui.pages") if m.count(".") >= 2}
    own = path.stem.split("_")[0]  # a page's own helper modules (taylor_models) share its name
    assert {p for p in pages if p.split("_")[0] != own} == set()
    assert not _touches(imports, "ui.widgets")


@pytest.mark.parametrize("path", sorted((ROOT / "ui" / "figures").glob("*.py")), ids=_name)
def test_the_figure_parts_import_no_page_and_no_widget(path):
    imports = _imports(path)
    assert not _touches(imports, "ui.pages") and not _touches(imports, "ui.widgets")


@pytest.mark.parametrize("path", UI, ids=_name)
def test_no_ui_file_is_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_the_rules_see_the_imports_they_are_about():
    """The checks above read real imports: the app's own entry imports Streamlit, and Compare its catalog."""
    assert _touches(_imports(ROOT / "ui" / "widgets" / "linking.py"), "streamlit")
    assert "ui.catalog" in _imports(ROOT / "ui" / "pages" / "compare.py")
    assert "ui.figures.theme" in _imports(ROOT / "ui" / "figures" / "charts.py")


def test_importing_the_engine_loads_no_sympy():
    """SymPy takes a second to import: only a typed f pays for it (optim_core.expression imports it lazily)."""
    import subprocess

    code = "import sys, optim_core; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
