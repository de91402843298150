"""How the project is put together: one text source per chapter, a layered package whose layers
import only downwards, a README map of every module, and code kept linted and formatted."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from nhsreport import paths
from nhsreport.build.execute import executed_path, in_sync, repair
from nhsreport.contents import chapter_sources

PACKAGE = paths.PROJECT_ROOT / "src" / "nhsreport"
#: layer -> the layers it may import (build machinery may use everything; nothing uses it).
LAYERS = {
    "data": set(),
    "presentation": {"data"},
    "analyses": {"data", "presentation"},
    "build": {"data", "presentation", "analyses"},
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


def test_the_readme_map_names_every_module():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    modules = [
        p.relative_to(PACKAGE).with_suffix("").as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py"
    ]
    assert [m for m in modules if f"`{Path(m).name}`" not in readme] == []


def ruff(*arguments, cwd=paths.PROJECT_ROOT):
    ruff_binary = Path(sys.executable).parent / "ruff"
    return subprocess.run([str(ruff_binary), *arguments], capture_output=True, text=True, cwd=cwd)


def test_the_code_is_linted_and_formatted_by_ruff():
    for arguments in (
        ("check", "src", "tests", "benchmarks"),
        ("format", "--check", "src", "tests", "benchmarks"),
    ):
        result = ruff(*arguments)
        assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_catches_unformatted_and_unused_code(tmp_path):
    shutil.copy(paths.PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "bad.py").write_text("import os\nx=( 1,\n2)\n")
    assert ruff("check", "bad.py", cwd=tmp_path).returncode != 0
    assert ruff("format", "--check", "bad.py", cwd=tmp_path).returncode != 0
