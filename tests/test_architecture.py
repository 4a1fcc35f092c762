"""The layout holds: one-way layers (import-linter), no import cycle between modules, imports at
module level, modules of a readable size.

The contracts live in ``.importlinter`` (see ``docs/architecture.md``); this test runs them so
``make test`` fails when a change breaks them.
"""

import ast
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("base", "marketing", "shop", "learning", "home", "search", "demo", "config")
#: Imports inside functions allowed in the product (``AppConfig.ready`` imports receivers and
#: purchasable kinds, which need the app registry to be ready).
MAX_FUNCTION_IMPORTS = 15
MAX_MODULE_LINES = 400


def product_modules():
    """Python files of the product: no tests, migrations or scripts."""
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path


def test_import_linter_contracts_are_kept():
    assert lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True) == 0


def test_no_import_cycle_between_modules():
    """Tarjan's strongly connected components over the module import graph (tests included)."""
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    index, low, on_stack, stack, cycles = {}, {}, set(), [], []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []


def function_imports(path):
    """``(line, text)`` of each import statement inside a function of ``path``."""
    source = path.read_text()
    lines = source.splitlines()
    found = []

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child.lineno, lines[child.lineno - 1].strip()))
            walk(child, inside)

    walk(ast.parse(source), False)
    return found


def test_imports_inside_functions_are_few_and_explained():
    found = [(path, line, text) for path in product_modules() for line, text in function_imports(path)]
    assert len(found) <= MAX_FUNCTION_IMPORTS, found
    unexplained = [f"{p.relative_to(ROOT)}:{n}" for p, n, text in found if "PLC0415" not in text]
    assert unexplained == []


def test_no_module_is_a_god_module():
    big = {
        str(p.relative_to(ROOT)): n
        for p in product_modules()
        if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert big == {}
