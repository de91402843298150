"""Names that resolve: every dotted name ``nhsreport.…`` that a docstring, a comment, the Markdown
or the configuration gives a reader is a real module or an attribute of one.

A name is resolved as Python would: the longest prefix that imports as a module, then ``getattr``
for the rest. File names that merely start with the package's name (``nhsreport.css``) are not
names. CHANGELOG.md is history, so it may name what no longer exists.
"""

import ast
import importlib
import io
import re
import tokenize
from pathlib import Path

from nhsreport import paths

ROOT = paths.PROJECT_ROOT
DOTTED_NAME = re.compile(r"(?<![\w/.-])nhsreport(?:\.[A-Za-z_]\w*)+")
#: a dotted name ending in one of these is a file name, not a Python name
FILE_SUFFIXES = {"css", "js", "json", "zip", "pdf", "svg", "png", "csv", "txt", "yml", "egg"}

PYTHON_FOLDERS = ("src", "tests", "benchmarks")
MARKDOWN = ("README.md", "index.md", "bibliography.md", "data/*.md", "chapters/*.md", "benchmarks/*.md")
CONFIG = (
    "_config.yml",
    "_toc.yml",
    "pyproject.toml",
    "Makefile",
    "metadata.yml",
    ".github/workflows/*.yml",
    ".devcontainer/*.json",
    "binder/*",
)


def python_prose(text):
    """The docstrings and comments of a Python source: what is written for a reader."""
    found = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(ast.get_docstring(node, clean=False) or "")
    return "\n".join(found)


def prose_files():
    """(file, text to search) for every file a reader reads names in."""
    for folder in PYTHON_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, python_prose(path.read_text(encoding="utf-8"))
    for pattern in MARKDOWN + CONFIG:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                yield path, path.read_text(encoding="utf-8")


def dotted_names(text):
    return {name for name in DOTTED_NAME.findall(text) if name.rsplit(".", 1)[1] not in FILE_SUFFIXES}


def resolves(name):
    """True if ``name`` is a module, or a module's attribute (attributes of attributes too)."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def unresolved(files, root=ROOT):
    return sorted(
        f"{path.relative_to(root)}: {name}"
        for path, text in files
        for name in dotted_names(text)
        if not resolves(name)
    )


def test_every_dotted_name_a_reader_is_given_resolves():
    files = list(prose_files())
    assert len(files) > 50
    assert unresolved(files) == []


def test_the_check_finds_names_in_docstrings_comments_markdown_and_config():
    source = (
        '"""Uses :class:`~nhsreport.data.errors.DataError`."""\n# see nhsreport.data.load.load_data\nx = 1\n'
    )
    assert dotted_names(python_prose(source)) == {
        "nhsreport.data.errors.DataError",
        "nhsreport.data.load.load_data",
    }
    assert dotted_names('css: ["nhsreport.css"], path: _static/nhsreport.css') == set()
    assert dotted_names("run `python -m nhsreport.pipeline.book`.") == {"nhsreport.pipeline.book"}


def test_the_check_catches_a_made_up_name(tmp_path):
    made_up = {
        "a module": "nhsreport.chapter",
        "a function": "nhsreport.data.load.load_everything",
        "an attribute of a class": "nhsreport.presentation.chapter.Chapter.no_such_method",
    }
    for kind, name in made_up.items():
        assert not resolves(name), kind
    for real in ("nhsreport", "nhsreport.data", "nhsreport.presentation.chapter.Chapter.figure"):
        assert resolves(real), real
    readme = tmp_path / "README.md"
    readme.write_text("Run `python -m nhsreport.execute`, then `python -m nhsreport.pipeline.book`.\n")
    assert unresolved([(readme, readme.read_text())], root=tmp_path) == ["README.md: nhsreport.execute"]


# --- no timings in the package's docstrings and comments -----------------------------------------
#: a duration or a speed-up: "0.5 s", "2-3 s", "10 ms", "4 seconds", "20 times faster", "3x faster"
TIMING = re.compile(
    r"\b\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?\s*(?:s|ms|µs|sec|secs|seconds?|minutes?|min|mins)\b"
    r"|\b\d+(?:\.\d+)?\s*(?:x|×|times)\s+(?:faster|slower|quicker)\b",
    re.IGNORECASE,
)
PACKAGE = ROOT / "src" / "nhsreport"


def timings_quoted(paths_and_texts):
    """(file, the timing) for each duration or speed-up quoted in a docstring or comment."""
    return sorted(
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {match.group(0)}"
        for path, text in paths_and_texts
        for match in TIMING.finditer(python_prose(text))
    )


def test_no_docstring_or_comment_in_the_package_quotes_a_timing():
    """Timings change with the machine and the day: they belong in benchmarks/RESULTS.md, and a
    docstring says why the code is as it is without them."""
    sources = [(path, path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))]
    assert timings_quoted(sources) == []


def test_the_timing_check_catches_durations_and_speed_ups_but_not_other_numbers(tmp_path):
    quoted = {
        '"""Runs once (about 0.5 s)."""': "0.5 s",
        "# the lock waits 2-3 s": "2-3 s",
        "# 10 ms a page": "10 ms",
        "# four runs took 4 seconds": "4 seconds",
        "# libyaml: 20 times faster": "20 times faster",
        '"""A 3x faster path."""': "3x faster",
    }
    for source, timing in quoted.items():
        path = tmp_path / "timed.py"
        path.write_text(source + "\nx = 1\n", encoding="utf-8")
        assert [t.split(": ", 1)[1] for t in timings_quoted([(path.relative_to(tmp_path), source)])] == [
            timing
        ]
    plain = '"""Figure 3.2 of 68 managers in 3 trusts; 300 dpi; sha256 of 2 files."""\nTIMEOUT = 5  # s\n'
    assert timings_quoted([(Path("plain.py"), plain)]) == []
