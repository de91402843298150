"""How the project is put together: one text source per chapter, a layered package whose layers
import only downwards, a README map of every module, and code kept linted and formatted."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

from nhsreport import paths
from nhsreport.contents import chapter_sources
from nhsreport.pipeline.execute import executed_path, in_sync, repair

PACKAGE = paths.PROJECT_ROOT / "src" / "nhsreport"
#: layer -> the layers it may import (build machinery may use everything; nothing uses it).
LAYERS = {
    "data": set(),
    "presentation": {"data"},
    "analyses": {"data", "presentation"},
    "pipeline": {"data", "presentation", "analyses"},
}


def project_imports(path, package=PACKAGE):
    """The ``nhsreport`` modules a source file imports (relative imports resolved)."""
    module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = module.split(".")[: -node.level] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            found.update(f"{name}.{alias.name}" for alias in node.names)
            found.add(name)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("nhsreport")}


def layer_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def layering_violations(package=PACKAGE):
    violations = []
    for path in package.rglob("*.py"):
        layer = path.parent.name if path.parent.name in LAYERS else None
        if layer is None:
            continue
        for imported in project_imports(path, package):
            target = layer_of(imported)
            if target and target != layer and target not in LAYERS[layer]:
                violations.append(f"{path.relative_to(package)} imports {imported}")
    return violations


def test_each_chapter_is_one_text_source_with_a_generated_notebook_in_sync():
    sources = chapter_sources()
    assert sources
    assert sorted(p.stem for p in paths.CHAPTERS_DIR.glob("*.ipynb")) == sorted(s.stem for s in sources)
    assert [s.name for s in sources if not in_sync(s)] == []


def test_the_sync_check_catches_a_notebook_edited_by_hand(tmp_path):
    source = chapter_sources()[0]
    shutil.copy(source, tmp_path / source.name)
    shutil.copy(executed_path(source), tmp_path / executed_path(source).name)
    copy = tmp_path / source.name
    assert in_sync(copy)
    notebook = nbformat.read(executed_path(copy), as_version=4)
    notebook.cells[-1].source += "\nEdited in the notebook, not in the text source."
    nbformat.write(notebook, executed_path(copy))
    assert not in_sync(copy)


def test_a_prose_edit_undone_leaves_the_generated_notebook_as_it_was(tmp_path):
    source = chapter_sources()[0]
    copy, notebook = tmp_path / source.name, tmp_path / executed_path(source).name
    shutil.copy(source, copy)
    shutil.copy(executed_path(source), notebook)
    original = notebook.read_bytes()
    copy.write_text(source.read_text(encoding="utf-8") + "\nA sentence added and taken out.\n")
    repair(copy)
    assert in_sync(copy) and "A sentence added and taken out." in notebook.read_text(encoding="utf-8")
    shutil.copy(source, copy)
    repair(copy)
    assert notebook.read_bytes() == original


def test_no_authoring_scripts_write_chapters():
    assert list((paths.PROJECT_ROOT / "tools").glob("chapter_*.py")) == []


def test_the_layers_import_only_downwards_and_nothing_imports_the_build_machinery():
    assert layering_violations() == []


def test_the_layering_check_catches_a_data_module_that_imports_an_analysis(tmp_path):
    package = tmp_path / "nhsreport"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "data" / "bad.py").write_text("from ..analyses import networks\n")
    assert layering_violations(package) == ["data/bad.py imports nhsreport.analyses.networks"]


def test_no_chapter_imports_the_build_machinery():
    for source in chapter_sources():
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) nhsreport\.build", text, re.M), source.name


MODULE_MAP_HEADER = "| layer | module | what it does |"
#: the README's name for the layer of the package's top-level modules
SHARED_LAYER = "shared"


def package_modules(package=PACKAGE):
    """Every module of the package as (layer, name): ``shared`` for the top-level modules."""
    modules = set()
    for path in package.rglob("*.py"):
        if path.name == "__init__.py":
            continue
        parts = path.relative_to(package).with_suffix("").parts
        modules.add((parts[0] if len(parts) > 1 else SHARED_LAYER, parts[-1]))
    return modules


def readme_module_map(readme):
    """The README module map's rows as (layer, module): a blank layer cell continues the layer
    above; a module cell may name several modules, each in backticks."""
    lines = readme.splitlines()
    start = lines.index(MODULE_MAP_HEADER) + 2  # the header and its |---| line
    rows, layer = set(), None
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 3, f"README module map: a row without three cells: {line}"
        layer = cells[0] or layer
        names = re.findall(r"`([^`]+)`", cells[1])
        assert names, f"README module map: a row naming no module: {line}"
        rows.update((layer, name) for name in names)
    return rows


def test_the_readme_map_names_every_module_in_its_layer_and_no_other():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    mapped, actual = readme_module_map(readme), package_modules()
    assert sorted(actual - mapped) == [], "modules missing from the README map"
    assert sorted(mapped - actual) == [], "README map rows naming no module"


def test_the_map_check_catches_a_missing_row_and_a_module_in_the_wrong_layer():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| | `legibility` |"))
    assert ("presentation", "legibility") not in readme_module_map(readme.replace(row + "\n", ""))
    moved = readme.replace(row, row.replace("`legibility`", "`figure_files`"))
    assert ("presentation", "legibility") not in readme_module_map(moved)
    wrong_layer = readme.replace("| data | `load` |", "| analyses | `load` |")
    assert ("data", "load") not in readme_module_map(wrong_layer)


def sphinx_extensions(package=PACKAGE):
    """The project's Sphinx extensions (modules with a ``setup(app)``), as dotted names, and the
    extensions one of them sets up itself (hidden from ``_config.yml``)."""
    extensions, hidden = set(), set()
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "setup" for node in tree.body):
            extensions.add(".".join(path.relative_to(package.parent).with_suffix("").parts))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "setup_extension":
                hidden.add(f"{path.relative_to(package)} sets up {ast.unparse(node.args[0])}")
    return extensions, hidden


def listed_extensions(config_text):
    return set(yaml.safe_load(config_text)["sphinx"]["extra_extensions"])


def test_every_project_extension_is_listed_in_the_config_and_none_sets_up_another():
    extensions, hidden = sphinx_extensions()
    assert hidden == set()
    config = (paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    assert extensions - listed_extensions(config) == set()


def test_the_extension_check_catches_an_unlisted_and_a_hidden_extension(tmp_path):
    config = (paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    unlisted = config.replace('"nhsreport.pipeline.bibliography_style", ', "")
    assert "nhsreport.pipeline.bibliography_style" in sphinx_extensions()[0] - listed_extensions(unlisted)
    package = tmp_path / "nhsreport"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    site = package / "pipeline" / "sphinx_site.py"
    site.write_text(site.read_text(encoding="utf-8") + "\n\ndef hide(app):\n    app.setup_extension('x')\n")
    assert sphinx_extensions(package)[1] == {"pipeline/sphinx_site.py sets up 'x'"}


def ruff(*arguments, cwd=paths.PROJECT_ROOT):
    ruff_binary = Path(sys.executable).parent / "ruff"
    return subprocess.run([str(ruff_binary), *arguments], capture_output=True, text=True, cwd=cwd)


def test_the_code_is_linted_and_formatted_by_ruff():
    for arguments in (
        ("check", "src", "tests", "benchmarks", "conftest.py"),
        ("format", "--check", "src", "tests", "benchmarks", "conftest.py"),
    ):
        result = ruff(*arguments)
        assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_catches_unformatted_and_unused_code(tmp_path):
    shutil.copy(paths.PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "bad.py").write_text("import os\nx=( 1,\n2)\n")
    assert ruff("check", "bad.py", cwd=tmp_path).returncode != 0
    assert ruff("format", "--check", "bad.py", cwd=tmp_path).returncode != 0
