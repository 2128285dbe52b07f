"""The report draws what the plan carries: no module under dermalase/report runs a solver."""

import ast
from pathlib import Path

import pytest

import dermalase.report

REPORT = Path(dermalase.report.__file__).parent
#: Packages that compute effects or settings; the report must only draw their results.
SOLVER_PACKAGES = ("dermalase.physics", "dermalase.forward", "dermalase.dosimetry")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPORT.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module an import statement in ``source`` names, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            # ``from dermalase import physics`` imports the package dermalase.physics
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _solver_imports(names: set[str]) -> list[str]:
    return sorted(
        name
        for name in names
        if any(name == banned or name.startswith(banned + ".") for banned in SOLVER_PACKAGES)
    )


@pytest.mark.parametrize(
    "source",
    [
        "import dermalase.physics.heat",
        "from dermalase.forward import fractional",
        "from dermalase import dosimetry",
        "def f():\n    from ...physics import column",
    ],
)
def test_the_walker_sees_a_solver_import(source):
    # guards the test below against a walker that finds nothing
    names = imported_modules(source, "dermalase.report.figures.thermal_map")
    assert _solver_imports(names)


def test_no_report_module_imports_a_solver():
    modules = sorted(REPORT.rglob("*.py"))
    assert any(path.parent.name == "figures" for path in modules)
    offenders = {
        str(path.relative_to(REPORT)): found
        for path in modules
        if (
            found := _solver_imports(
                imported_modules(
                    path.read_text(encoding="utf-8"),
                    _module_name(path),
                    is_package=path.name == "__init__.py",
                )
            )
        )
    }
    assert offenders == {}
