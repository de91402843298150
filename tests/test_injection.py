"""Markup typed into any free-text column of the data is shown as text and never runs, on every
page of the real book, checked in a real browser."""

import os
from pathlib import Path

import pytest
from projectcopy import dialogs_on_pages, rehash, run_book, set_first_cell

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


def inject(root):
    for file, columns in TEXT_COLUMNS.items():
        for column in columns:
            corrupt = set_first_cell(file, column, None)
            corrupt(root, append=PAYLOAD)


def test_markup_in_every_text_column_is_shown_as_text_and_never_runs(project):
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing (CI must run the injection test)")
        pytest.skip("Chromium is missing; install it to run the injection test")
    inject(project)
    rehash(project)
    run = run_book(project)
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    site = project / "_build" / "html"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and 'onerror="alert' not in text, page.name
    assert dialogs_on_pages(site) == []
