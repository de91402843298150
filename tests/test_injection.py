"""Markup typed into any input is shown as text and never runs, on every page of the real book,
checked in a real browser: every free-text column of the data, references.bib, metadata.yml,
_config.yml, a data file's name, and a cell a spreadsheet would read as a formula. What the input
rules refuse (:mod:`nhsreport.pipeline.input_rules`) is refused before anything runs."""

import csv
import os
from pathlib import Path

import pytest
import yaml
from projectcopy import copy_sources, dialogs_on_pages, rehash, run_book, set_first_cell
from test_escaping import HOSTILE_INPUT_PROBLEMS, hostile_inputs

from nhsreport.pipeline.release_files import generated
from nhsreport.presentation.tables import csv_safe

# --- script injection ------------------------------------------------------------------------
# Free-text columns that pages, figures, downloads or citations show. (Codes, keys, patterns,
# enumerations and check expressions are closed by the data rules and not listed.)
TEXT_COLUMNS = {
    "trusts.csv": ["label"],
    "cohorts.csv": ["label"],
    "network_types.csv": ["label", "description"],
    "network_dimensions.csv": ["label"],
    "clinical_backgrounds.csv": ["note"],
    "cohort_roles.csv": ["note"],
    "limitations.csv": ["topic", "paraphrase"],
    "management_leadership_contrast.csv": ["management", "leadership"],
    "network_evidence.csv": ["paraphrase"],
    "network_motives.csv": ["paraphrase"],
    "nhs_management_periods.csv": ["note"],
    "recommendation_points.csv": ["paraphrase", "note"],
    "recommendations.csv": ["title", "summary"],
    "related_themes.csv": ["paraphrase"],
    "timeline_events.csv": ["note"],
    "training_constraints.csv": ["paraphrase", "interpretation"],
    "trust_comparison.csv": ["note"],
}
PAYLOAD = ' <script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3)) `{raw:html}`'


# A trust's label leads with a formula: it is a tick label of 11 figures, so it reaches the
# "values drawn" CSVs as well as the table CSVs.
FORMULA = '=HYPERLINK("https://example.org","x")'
# Each input's payload calls alert with its own number, so each can be traced to the pages.
BIB_PAYLOAD = (
    ' <script>alert(11)</script><img src=x onerror="alert(12)"> [x](javascript:alert(13)) `{raw:html}`'
)
METADATA_PAYLOADS = {
    "title": " <script>alert(21)</script> {download}`/metadata.yml`",
    "short-title": ' <img src=x onerror="alert(22)">',
    "author": ' <img src=x onerror="alert(23)">',
}
# What _config.yml may hold (its rules refuse < > "): entities and quotes stay text too.
CONFIG_PAYLOAD = " &lt;img src=x onerror=alert(31)&gt; it's"
TRACED = (1, 11, 21, 22, 23, 31)
LIVE = ("<script>alert", "<img src=x", 'href="javascript:')


def inject(root):
    for file, columns in TEXT_COLUMNS.items():
        for column in columns:
            corrupt = set_first_cell(file, column, None)
            corrupt(root, append=PAYLOAD)
    with (root / "data" / "trusts.csv").open(encoding="utf-8", newline="") as handle:
        first_label = next(csv.DictReader(handle))["label"]
    set_first_cell("trusts.csv", "label", FORMULA + first_label)(root)


def inject_bibliography(root):
    path = root / "references.bib"
    title = "title     = {Managing Modern Healthcare: Knowledge, Networks and Practice"
    path.write_text(path.read_text(encoding="utf-8").replace(title, title + BIB_PAYLOAD, 1), encoding="utf-8")


def inject_metadata_and_config(root):
    path = root / "metadata.yml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    metadata["title"] += METADATA_PAYLOADS["title"]
    metadata["short-title"] += METADATA_PAYLOADS["short-title"]
    metadata["authors"][0]["name"] += METADATA_PAYLOADS["author"]
    path.write_text(yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for name, text in generated(root).items():  # CITATION.cff, which the catalogue reads
        (root / name).write_text(text, encoding="utf-8")
    path = root / "_config.yml"
    config = path.read_text(encoding="utf-8")
    for key in ("title", "author"):
        config = config.replace(f'{key}: "', f'{key}: "{CONFIG_PAYLOAD} ', 1)
    path.write_text(config, encoding="utf-8")


def require_chromium():
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing (CI must run the injection test)")
        pytest.skip("Chromium is missing; install it to run the injection test")


def markup_problems(site):
    """Live markup in a page's source, and payloads that reached no page (a test that proves
    nothing)."""
    pages = {
        page.relative_to(site).as_posix(): page.read_text(encoding="utf-8") for page in site.rglob("*.html")
    }
    problems = [f"{name}: {live!r} is live" for name, text in pages.items() for live in LIVE if live in text]
    problems += [
        f"alert({n}) reached no page" for n in TRACED if not any(f"alert({n})" in t for t in pages.values())
    ]
    problems += [f"{path.relative_to(site)} was published" for path in site.rglob("metadata.yml")]
    return problems


def made_csvs(site):
    """The CSVs the report makes (tables, values drawn). The data files beside the RO-Crate
    (``data/``) are published byte for byte, as their recorded sha256 says they are."""
    return [path for path in sorted(site.rglob("*.csv")) if path.relative_to(site).parts[0] != "data"]


def formula_problems(site):
    """Cells of the CSVs the report makes that a spreadsheet would read as a formula."""
    problems, neutralised = [], []
    for path in made_csvs(site):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                problems += [f"{path.name}: {cell[:30]!r}" for cell in row if csv_safe(cell) != cell]
                neutralised += [path.name for cell in row if cell.startswith("'" + FORMULA)]
    if not any(name.endswith(".values.csv") for name in neutralised):
        problems.append("the formula reached no values-drawn CSV")
    return problems


def test_markup_in_every_input_is_shown_as_text_and_never_runs(project):
    require_chromium()
    inject(project)
    inject_bibliography(project)
    inject_metadata_and_config(project)
    rehash(project)
    run = run_book(project)
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    site = project / "_build" / "html"
    assert markup_problems(site) + formula_problems(site) == []
    assert dialogs_on_pages(site) == []


def test_inputs_that_break_a_rule_are_refused_before_anything_runs(tmp_path):
    """A javascript: URL in references.bib, markup in _config.yml's title and author, a
    javascript: URL in metadata.yml: one line each, and nothing is executed, drawn or built."""
    root = hostile_inputs(copy_sources(tmp_path / "book"))
    run = run_book(root)
    assert run.result.returncode == 2, run.result.stderr[-3000:]
    assert [problem for problem in HOSTILE_INPUT_PROBLEMS if problem not in run.result.stderr] == []
    assert run.executed == [] and not (root / "_build").exists()
