"""The package's shape: the import rules of the pipeline and the domain contract.

Needs no data: it reads the package's own source and declarations.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import bluehelmet
from bluehelmet.domain import Domain, resolve_function
from bluehelmet.sources.registry import domains, layouts

PACKAGE = Path(bluehelmet.__file__).parent

# The pipeline, bottom to top. A module may import (at run time) only modules of its own
# layer or below. The read side (query, db) does not depend on the write side.
GROUND = {"errors", "config", "months", "vocab", "records", "domain", "version", "display"}
LAYERS: dict[str, int] = {
    **{name: 0 for name in GROUND},
    "reference": 1,
    "sources": 2,
    "store": 3, "reconcile": 3,
    "builder": 4,
    # add.py checks files with the sources' parser, then rebuilds: beside the builder it calls
    "add": 4,
    "query": 2,
    "db": 3,
    # a result's HTML for notebooks: beside the query results that call it
    "notebook": 2,
    "output": 4, "claims": 4,
    # citations read claims' provenance; the export cites each table's sources
    "cite": 4, "export": 4,
    "cli": 5, "web": 5,
    "__main__": 6,  # `python -m bluehelmet`: the CLI, nothing else
}
WRITE_SIDE = {"sources", "store", "reconcile", "builder"}
READ_SIDE = {"query", "db"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        out[".".join(["bluehelmet", *parts])] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or \
        (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(module: str, path: Path) -> set[str]:
    """bluehelmet modules imported at run time (function-level imports included;
    ``if TYPE_CHECKING:`` blocks left out: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("bluehelmet"))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[:len(base) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.startswith("bluehelmet"):
                    found.add(target)
                    # "from . import personnel" imports a module, not a name
                    found.update(f"{target}.{a.name}" for a in child.names if f"{target}.{a.name}" in MODULES)
            visit(child)

    visit(tree)
    return {m for m in found if m in MODULES or m == "bluehelmet"}


MODULES = _modules()
GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_has_a_layer() -> None:
    missing = sorted({_area(m) for m in MODULES if _area(m) and _area(m) not in LAYERS})
    assert not missing, f"modules in no layer (add them to LAYERS): {missing}"


def test_imports_run_down_the_layers() -> None:
    upward = [f"{m} -> {t}" for m, targets in GRAPH.items() if _area(m)
              for t in targets if _area(t) and LAYERS[_area(t)] > LAYERS[_area(m)]]
    assert not upward, "imports running up the pipeline:\n" + "\n".join(sorted(upward))


def test_sources_import_no_store_reconcile_or_query() -> None:
    bad = [f"{m} -> {t}" for m, targets in GRAPH.items() if _area(m) == "sources"
           for t in targets if _area(t) in {"store", "reconcile", "query", "db", "builder", "claims", "cli", "web"}]
    assert not bad, "\n".join(sorted(bad))


def test_nothing_below_the_surfaces_imports_them() -> None:
    bad = [f"{m} -> {t}" for m, targets in GRAPH.items() if _area(m) not in {"cli", "web", "__main__"}
           for t in targets if _area(t) in {"cli", "web"}]
    assert not bad, "\n".join(sorted(bad))


def test_no_module_imports_the_package_root() -> None:
    """The root's ``__init__`` opens and builds; a module below importing it runs back up."""
    bad = sorted(m for m, targets in GRAPH.items() if m != "bluehelmet" and "bluehelmet" in targets)
    assert not bad, bad


def test_the_read_and_write_sides_are_apart() -> None:
    bad = [f"{m} -> {t}" for m, targets in GRAPH.items() if _area(m) in READ_SIDE
           for t in targets if _area(t) in WRITE_SIDE]
    assert not bad, "\n".join(sorted(bad))


def test_ground_floor_imports_only_the_ground_floor() -> None:
    bad = [f"{m} -> {t}" for m, targets in GRAPH.items() if _area(m) in GROUND
           for t in targets if _area(t) not in GROUND]
    assert not bad, "\n".join(sorted(bad))


def test_no_import_loops() -> None:
    """Run-time imports form no cycle (a package importing its own modules aside)."""
    seen: dict[str, int] = {}
    stack: list[str] = []
    loops: list[str] = []

    def walk(m: str) -> None:
        seen[m] = 1
        stack.append(m)
        for t in sorted(GRAPH.get(m, ())):
            if t == "bluehelmet" or m.startswith(t + "."):
                continue  # a module's own package(s): imported first by Python anyway
            if seen.get(t) == 1:
                loops.append(" -> ".join(stack[stack.index(t):] + [t]))
            elif t not in seen:
                walk(t)
        stack.pop()
        seen[m] = 2

    for m in sorted(GRAPH):
        if m not in seen:
            walk(m)
    assert not loops, "import loops:\n" + "\n".join(loops)


# ---- the domain contract -------------------------------------------------------------

def test_every_declared_reader_resolves() -> None:
    for layout in layouts():
        fn = resolve_function(layout.reader)
        assert list(inspect.signature(fn).parameters)[:2] == ["files", "ctx"], layout.reader


def test_declarations_are_consistent() -> None:
    names = [layout.name for layout in layouts()]
    assert len(names) == len(set(names)), "layout names repeat"
    owners: dict[str, str] = {}
    for d in domains():
        assert isinstance(d, Domain)
        assert d.layouts, f"domain {d.name} reads nothing"
        for table in d.owns:
            assert table not in owners, f"table {table} declared by {owners[table]} and {d.name}"
            owners[table] = d.name
        for hook in (d.write, d.derive, d.checks, d.findings):
            assert hook is None or callable(hook)
        if d.write is None:  # the default writer puts rows in the table the layout names
            for layout in d.layouts:
                assert layout.target in d.owns, f"{layout.name}: {layout.target} is not a table of {d.name}"


def test_declared_tables_create_cleanly() -> None:
    import duckdb

    from bluehelmet.store.schema import ddl

    con = duckdb.connect()
    con.execute(ddl())
    created = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {t for d in domains() for t in d.owns} <= created


def test_every_check_a_source_module_defines_is_declared() -> None:
    """A checks or findings function left out of its domain's declaration would never run."""
    import bluehelmet.sources as pkg

    declared = {f for d in domains() for f in (d.checks, d.findings) if f is not None}
    strays = []
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"bluehelmet.sources.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__:
                continue
            returns = str(inspect.signature(fn).return_annotation)
            if (name in ("checks", "findings") or "Check" in returns) and fn not in declared:
                strays.append(f"{module.__name__}.{name}")
    assert not strays, f"checks or findings not declared in any Domain: {strays}"


def test_deciding_what_changed_imports_no_adapter(tmp_path: Path) -> None:
    """The no-op build's discovery and fingerprint import no reader and no pyarrow."""
    (tmp_path / "ipi" / "tcc-datascraper").mkdir(parents=True)
    (tmp_path / "ipi" / "tcc-datascraper" / "Data.Monthly.csv").write_text("synthetic\n")
    code = (
        "import sys; from pathlib import Path; from bluehelmet.builder import discover;"
        f"discover(Path({str(tmp_path)!r}));"
        "heavy = [m for m in sys.modules if m == 'pyarrow' or m.startswith('bluehelmet.sources.ipi')];"
        "print(heavy); sys.exit(1 if heavy else 0)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _area(m) in GROUND))
def test_ground_floor_modules_import_cheaply(module: str) -> None:
    run = subprocess.run([sys.executable, "-c", f"import sys, {module}; "
                          "sys.exit(1 if 'pyarrow' in sys.modules or 'duckdb' in sys.modules else 0)"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
