"""The generator is its own distribution (`justice-world`, package `justice_world`, in `generator/`): the dbt
project's runtime (`repeat-offending`, in `src/`) neither imports nor requires it, the generator reads the seeds
from the folder it is given (never from a path worked out from its own file), imports only what its
distribution declares, and its towns list (`data/towns.csv`) gives back the committed area seeds byte for byte.
"""

from __future__ import annotations

import ast
import filecmp
import importlib.metadata
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from justice_world import reference_areas
from repeat_offending.project import PROJECT_ROOT

RUNTIME_SRC = PROJECT_ROOT / "src"
GENERATOR_ROOT = PROJECT_ROOT / "generator"
GENERATOR_SRC = GENERATOR_ROOT / "src"
GENERATOR_PACKAGE = "justice_world"


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(src: Path) -> dict[str, Path]:
    return {_module_name(path, src): path for path in sorted(src.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (also inside functions), as absolute dotted names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _runtime_modules() -> dict[str, Path]:
    return _modules(RUNTIME_SRC)


def test_no_runtime_module_imports_the_generator() -> None:
    """Directly, or through another runtime module: every import in every module of src/repeat_offending
    followed through the runtime's own modules."""
    runtime = _runtime_modules()
    assert "repeat_offending.release.build" in runtime and "repeat_offending.dbt_plugins" in runtime
    edges = {name: _imports(name, path) for name, path in runtime.items()}
    problems = []
    for start in sorted(runtime):
        parent: dict[str, str] = {}
        todo = [start]
        while todo:
            current = todo.pop()
            chain = [current]
            while chain[-1] in parent:
                chain.append(parent[chain[-1]])
            path = " <- ".join(chain)
            for target in sorted(edges[current]):
                if _is_within(target, GENERATOR_PACKAGE):
                    problems.append(f"{target} <- {path}")
                elif target in runtime and target != start and target not in parent:
                    parent[target] = current
                    todo.append(target)
    assert not problems, "\n".join(problems)


def test_runtime_imports_with_the_generator_absent() -> None:
    """Import every runtime module in a fresh interpreter in which `import justice_world` fails."""
    names = sorted(_runtime_modules())
    code = (
        "import importlib, sys\n"
        f"sys.modules[{GENERATOR_PACKAGE!r}] = None  # any import of the generator now raises ImportError\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_runtime_distribution_neither_holds_nor_requires_the_generator() -> None:
    root = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    generator = tomllib.loads((GENERATOR_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    name = generator["project"]["name"]
    assert name == "justice-world"
    requirements = [r.replace("_", "-").lower() for r in root["project"]["dependencies"]]
    assert not [r for r in requirements if r.startswith(name)], requirements
    assert not [
        target for target in root["project"].get("scripts", {}).values() if target.startswith(GENERATOR_PACKAGE)
    ]
    assert not (RUNTIME_SRC / GENERATOR_PACKAGE).exists()
    assert not (RUNTIME_SRC / "repeat_offending" / "synthetic").exists()
    assert (GENERATOR_SRC / GENERATOR_PACKAGE / "__init__.py").is_file()


def test_the_generator_declares_exactly_the_distributions_it_imports() -> None:
    """The generator's dependency list is what its modules import from outside the standard library."""
    declared = tomllib.loads((GENERATOR_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared_names = {
        requirement.split(";")[0].split("[")[0].strip().split("~")[0].split(">")[0].split("=")[0].split("<")[0]
        for requirement in declared["dependencies"]
    }
    providers = importlib.metadata.packages_distributions()
    imported: set[str] = set()
    for name, path in _modules(GENERATOR_SRC).items():
        for module in _imports(name, path):
            top = module.split(".")[0]
            if top and top != GENERATOR_PACKAGE and top not in sys.stdlib_module_names and top != "__future__":
                imported.update(providers.get(top, [top]))
    assert {d.lower() for d in imported} == {d.lower() for d in declared_names}


def test_the_generator_works_out_no_path_from_its_own_file() -> None:
    """The seeds folder is passed in: `__file__` is used only to find the package's own data."""
    uses = []
    for _, path in _modules(GENERATOR_SRC).items():
        source = path.read_text(encoding="utf-8")
        for statement in ast.parse(source).body:
            if any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(statement)):
                uses.append(f"{path.name}: {ast.get_source_segment(source, statement)}")
    assert uses == ['reference.py: PACKAGE_DATA = Path(__file__).parent / "data"']


@pytest.mark.parametrize("seed", [reference_areas.AREAS_SEED, reference_areas.SECTORS_SEED])
def test_the_towns_list_gives_the_committed_area_seeds(tmp_path: Path, seed: str) -> None:
    """`make-reference-areas`, run on a copy of the police forces seed, writes the committed seeds byte for
    byte (the towns list is package data, `justice_world/data/towns.csv`)."""
    committed = PROJECT_ROOT / "seeds" / "reference"
    seeds_dir = tmp_path / "seeds"
    (seeds_dir / "reference").mkdir(parents=True)
    forces = f"{reference_areas.FORCES_SEED}.csv"
    shutil.copyfile(committed / forces, seeds_dir / "reference" / forces)
    assert reference_areas.main(["--seeds-dir", str(seeds_dir)]) == 0
    written = seeds_dir / "reference" / f"{seed}.csv"
    assert filecmp.cmp(written, committed / f"{seed}.csv", shallow=False), f"{written} differs from the committed seed"


def test_the_towns_list_covers_every_police_force() -> None:
    towns = reference_areas.read_towns(reference_areas.TOWNS_CSV)
    forces = reference_areas.read_forces(PROJECT_ROOT / "seeds" / "reference" / "reference__police_forces.csv")
    assert set(towns) == {force.code for force in forces}
    assert sum(len(t) for t in towns.values()) > 400
