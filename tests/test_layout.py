"""The suite's own layout: tests mirror the apps, and no module imports a test module.

A test module is one specification, collected by pytest on its own. A module that
imports from it ties its tests to that specification's helpers, and a test function
imported by name is collected twice. Shared helpers live in a conftest.py (fixtures,
factories, small helpers) or, when the demo or the bench can use them too, in devtools/.
"""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
# The project's own packages (apps, contentgen, devtools, bench, tests), not the venv.
PACKAGES = sorted(p for p in ROOT.iterdir() if (p / "__init__.py").is_file())
APPS = {p.name for p in (ROOT / "apps").iterdir() if (p / "apps.py").is_file()}
# Folders whose tests span apps: real processes end to end, faults on those processes,
# the public API against its schema; and the developer tools' own specification.
ACROSS_APPS = {"e2e", "faults", "api", "devtools"}
# Top-level modules check repository files (docker-compose.yml, this layout), no app.
REPOSITORY_CHECKS = {"test_compose.py", "test_layout.py"}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imports(source: str, module: str) -> list[tuple[int, str, bool]]:
    """(line, imported module, inside a function) for each import in `source`.

    `from a.b import c` yields both a.b and a.b.c: c may be a module. Relative imports
    are resolved against `module`, the dotted name of the importing module.
    """
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = module.split(".")[:-child.level]
                    base = ".".join([*package, *([base] if base else [])])
                found.append((child.lineno, base, in_function))
                found.extend((child.lineno, f"{base}.{alias.name}", in_function)
                             for alias in child.names)
            visit(child, in_function or isinstance(child, (ast.FunctionDef,
                                                           ast.AsyncFunctionDef)))

    visit(ast.parse(source), False)
    return found


def is_test_module(name: str) -> bool:
    return name.rpartition(".")[2].startswith("test_")


def project_modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in package.rglob("*.py"))


def test_the_project_packages_are_found():
    assert {p.name for p in PACKAGES} >= {"apps", "contentgen", "devtools", "tests"}
    assert APPS == {"accounts", "brands", "core", "generation", "jobs", "localization", "ops"}


@pytest.mark.parametrize("source", [
    "from tests.jobs.test_item_generate import submit",
    "from tests.jobs import test_item_generate",
    "import tests.jobs.test_item_generate",
    "from .test_item_generate import submit",
    "def helper():\n    from tests.jobs.test_item_generate import submit\n",
])
def test_an_import_of_a_test_module_is_recognised(source):
    found = imports(source, "tests.jobs.test_costs")

    assert [name for _, name, _ in found if is_test_module(name)] == [
        "tests.jobs.test_item_generate"]


@pytest.mark.parametrize("source", [
    "from tests.conftest import product",
    "from tests.faults.conftest import wait_for",
    "from devtools.webhook_receiver import Receiver",
    "import pytest",
])
def test_imports_of_conftest_and_devtools_are_not_test_modules(source):
    found = imports(source, "tests.jobs.test_costs")

    assert [name for _, name, _ in found if is_test_module(name)] == []


def test_no_module_imports_a_test_module():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in project_modules()
        for line, name, _ in imports(path.read_text(), module_name(path))
        if is_test_module(name)
    ]

    assert not offenders, "\n".join(offenders)


def test_tests_import_the_suite_helpers_at_module_level():
    # A helper imported inside a test hides the test's dependencies from its reader;
    # conftest fixtures and helpers are imported at the top, or requested as fixtures.
    offenders = sorted({
        f"{path.relative_to(ROOT)}:{line} imports from tests inside a function"
        for path in TESTS.rglob("*.py")
        for line, name, in_function in imports(path.read_text(), module_name(path))
        if in_function and name.partition(".")[0] == "tests"
    })

    assert not offenders, "\n".join(offenders)


def test_every_test_module_sits_in_the_folder_of_what_it_tests():
    misplaced = [
        str(path.relative_to(ROOT))
        for path in sorted(TESTS.rglob("test_*.py"))
        if not (path.parent == TESTS and path.name in REPOSITORY_CHECKS)
        and path.relative_to(TESTS).parts[0] not in APPS | ACROSS_APPS
    ]

    assert not misplaced, "\n".join(misplaced)
