"""The replication book (``make replication DATA=...``): built from a made-up respondent file.

SYNTHETIC DATA: every respondent file here is generated in the test from a seeded random number
generator. It is not data about anyone, and it is never shown as data.

One build (module fixture) from 150 made-up respondents with distinctive ids is checked for its
pages, its machine-readable tables (exact columns, every combination, suppressed cells empty) and
for any trace of a respondent's id or organisation-free value in anything it wrote. A bad file
exits with status 2, names the broken rule, and builds nothing.
"""

import re
import subprocess
import sys
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nhsreport import paths
from nhsreport.replication import book, book_pages
from nhsreport.replication.respondents import code_columns, read_respondents

#: Every id carries this: found in any output, it shows a respondent's id leaked.
ID_MARK = "R-UNIQUE-7f3a"
ORGANISATIONS = {
    "Synthetic Acute Trust": "acute",
    "Synthetic Care Trust": "care",
    "Synthetic Specialist Trust": "specialist",
}
TABLE_COLUMNS = {
    "sample": ["organisation", "cohort", "count", "suppressed"],
    "sex": ["organisation", "cohort", "sex", "count", "suppressed"],
    "age": ["organisation", "age_band", "count", "suppressed"],
    "tenure": ["organisation", "measure", "mean_years", "n", "suppressed"],
    "training": ["organisation", "cohort", "training_level", "count", "suppressed"],
    "clinical_backgrounds": ["organisation", "cohort", "clinical_background", "count", "suppressed"],
}
MEASURES = ["in_post", "in_organisation", "in_nhs", "outside_nhs"]
PAGES = ["index", *(f"pages/{name}" for name in (*TABLE_COLUMNS, "methods", "suppressed"))]
TIMEOUT = 900  # seconds for one build on a loaded 2-core machine


def synthetic_respondents(n, seed=32, organisations=ORGANISATIONS):
    """SYNTHETIC: ``n`` made-up managers in made-up organisations ({name: type}; three trusts
    unless given), with ids marked ID_MARK."""
    rng = np.random.default_rng(seed)
    codes = code_columns()

    def pick(column, weights=None):
        return rng.choice(codes[column], size=n, p=weights)

    in_organisation = rng.uniform(0, 30, n).round(1)
    organisation = rng.choice(list(organisations), size=n)
    return pd.DataFrame(
        {
            "respondent_id": [f"{ID_MARK}-{i:04d}" for i in range(n)],
            "organisation": organisation,
            "organisation_type": [organisations[o] for o in organisation],
            "cohort": pick("cohort"),
            "sex": pick("sex", [0.55, 0.4, 0.02, 0.03]),
            "age_band": pick("age_band", [0.05, 0.2, 0.4, 0.3, 0.05]),
            "years_in_post": (in_organisation * rng.uniform(0, 1, n)).round(1),
            "years_in_organisation": in_organisation,
            "years_in_nhs": (in_organisation + rng.uniform(0, 10, n)).round(1),
            "years_outside_nhs": np.where(rng.uniform(size=n) < 0.2, np.nan, rng.uniform(0, 15, n).round(1)),
            "training_level": pick("training_level"),
            "clinical_background": pick("clinical_background", [0.15, 0.3, 0.1, 0.1, 0.05, 0.3]),
        }
    )


def run_replication(data, build_dir, min_cell=5):
    """``python -m nhsreport.replication.book`` into ``build_dir``; the finished process."""
    code = (
        "import sys; from pathlib import Path; from nhsreport.replication import book; "
        "book.BUILD = Path(sys.argv[1]); book.main(sys.argv[2:])"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(build_dir), "--data", str(data), "--min-cell", str(min_cell)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=paths.PROJECT_ROOT,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One replication built from 150 synthetic respondents: (build folder, finished process)."""
    folder = tmp_path_factory.mktemp("replication")
    data = folder / "respondents.csv"
    synthetic_respondents(150).to_csv(data, index=False)
    build_dir = folder / "_build"
    result = run_replication(data, build_dir)
    assert result.returncode == 0, result.stderr
    return build_dir, result


def test_every_page_is_built_with_the_title(built):
    build_dir, _ = built
    html = build_dir / "replication" / "html"
    for page in PAGES:
        assert (html / f"{page}.html").is_file(), page
    assert "Your managers beside the study" in (html / "index.html").read_text(encoding="utf-8")


def test_pages_show_the_study_beside_yours_with_intervals(built):
    html = built[0] / "replication" / "html" / "pages"
    for name in ("sample", "sex", "age", "training", "clinical_backgrounds"):
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        assert "95% interval" in page and "Study in your interval" in page, name
        assert f'id="fig-{name.replace("_", "-")}-shares"' in page, name
    assert "overlaps" in (html / "training.html").read_text(encoding="utf-8") or "no overlap" in (
        html / "training.html"
    ).read_text(encoding="utf-8")


def test_tables_have_the_exact_columns_and_every_combination(built):
    tables = built[0] / "replication" / "tables"
    assert sorted(p.name for p in tables.iterdir()) == sorted(f"{name}.csv" for name in TABLE_COLUMNS)
    codes = code_columns()
    for name, columns in TABLE_COLUMNS.items():
        table = pd.read_csv(tables / f"{name}.csv", keep_default_na=False, dtype=str)
        assert list(table.columns) == columns, name
        keys = columns[: columns.index("mean_years" if name == "tenure" else "count")]
        levels = [sorted(ORGANISATIONS), *(MEASURES if k == "measure" else codes[k] for k in keys[1:])]
        assert sorted(map(tuple, table[keys].values.tolist())) == sorted(product(*levels)), name


def test_suppressed_cells_are_empty_and_others_are_whole_counts(built):
    tables = built[0] / "replication" / "tables"
    for name in TABLE_COLUMNS:
        table = pd.read_csv(tables / f"{name}.csv", keep_default_na=False, dtype=str)
        assert set(table["suppressed"]) <= {"true", "false"}, name
        value = "mean_years" if name == "tenure" else "count"
        hidden = table["suppressed"] == "true"
        assert (table.loc[hidden, value] == "").all(), name
        assert (table.loc[~hidden, value] != "").all(), name
        if value == "count":
            assert table.loc[~hidden, value].str.fullmatch(r"\d+").all(), name
            assert not table.loc[~hidden, value].astype(int).between(1, 4).any(), name
    assert (pd.read_csv(tables / "sex.csv")["suppressed"]).any()  # 'other' is rare: something is


def test_no_respondent_id_reaches_any_output(built):
    build_dir, result = built
    assert ID_MARK not in result.stdout + result.stderr
    files = [p for p in build_dir.rglob("*") if p.is_file()]
    assert len(files) > 20
    leaked = [p for p in files if ID_MARK.encode() in p.read_bytes()]
    assert leaked == []
    assert not (build_dir / "replication.staging").exists()


def test_a_bad_file_exits_2_names_the_rule_and_keeps_the_previous_replication(built, tmp_path):
    build_dir, _ = built
    before = {p: p.stat().st_mtime_ns for p in (build_dir / "replication").rglob("*")}
    bad = synthetic_respondents(150)
    bad.loc[7, "cohort"] = "executive"
    data = tmp_path / "bad.csv"
    bad.to_csv(data, index=False)
    result = run_replication(data, build_dir)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if "cohort" in line]
    assert len(lines) == 1 and re.search(r"\brows? 8\b.*allowed values", lines[0]), result.stderr
    assert "Nothing was built" in result.stderr
    after = {p: p.stat().st_mtime_ns for p in (build_dir / "replication").rglob("*")}
    assert after == before


def test_a_bad_file_builds_nothing_where_nothing_was(tmp_path):
    bad = synthetic_respondents(150).assign(notes="free text")
    data = tmp_path / "bad.csv"
    bad.to_csv(data, index=False)
    result = run_replication(data, tmp_path / "_build")
    assert result.returncode == 2, result.stderr
    assert "notes" in result.stderr
    assert not (tmp_path / "_build" / "replication").exists()


def test_wilson_interval_is_scipys():
    low, high = book_pages.wilson(10, 40)
    assert (round(low, 4), round(high, 4)) == (0.1419, 0.4019)


def test_a_share_outside_the_interval_is_called_outside(monkeypatch):
    yours = pd.DataFrame(
        {
            "group": ["all"] * 2,
            "cohort": ["a", "b"],
            "count": [30, 10],
            "n": [40, 40],
            "suppressed": [False, False],
            "share": [0.75, 0.25],
            "low": [0.6, 0.14],
            "high": [0.86, 0.4],
        }
    )
    study = pd.DataFrame(
        {"group": ["all"] * 2, "cohort": ["a", "b"], "study_low": [0.5, 0.3], "study_high": [0.5, 0.3]}
    )
    monkeypatch.setattr(book_pages, "your_shares", lambda *a: yours)
    monkeypatch.setattr(book_pages, "study_shares", lambda *a: study)
    both = book_pages.beside("sample", "cohort", False)
    assert list(both["study_in_interval"]) == ["outside", "inside"]


def staged(tmp_path, respondents, min_cell=5):
    """The replication book's sources as the build stages them (no Jupyter Book run)."""
    data = tmp_path / "respondents.csv"
    respondents.to_csv(data, index=False)
    book.stage_sources(read_respondents(data, min_cell=min_cell), min_cell, tmp_path / "staging")
    return tmp_path / "staging" / "source"


def test_the_notebooks_can_read_only_protected_tables(tmp_path):
    """Everything the book's notebooks can read is staged: no id, no respondent-level file."""
    source = staged(tmp_path, synthetic_respondents(150))
    data_files = sorted(str(p.relative_to(source / "data")) for p in (source / "data").rglob("*.csv"))
    expected = [
        f"{level}/{name}.csv" for level in ("all", "study", "types", "yours") for name in TABLE_COLUMNS
    ]
    assert data_files == sorted([*expected, "suppression.csv"])
    for path in source.rglob("*"):
        assert not path.is_file() or ID_MARK.encode() not in path.read_bytes(), path
    for page in source.rglob("*.md"):
        imports = re.findall(
            r"^(?:from \S+ import|import) .*$", page.read_text(encoding="utf-8"), re.MULTILINE
        )
        assert set(imports) <= {"from nhsreport.replication import book_pages as page"}, page
    pages_imports = re.findall(r"^from \S+ import .*$", Path(book_pages.__file__).read_text(), re.MULTILINE)
    assert not [line for line in pages_imports if "respondents" in line or "aggregate" in line]


def test_with_many_organisations_the_pages_show_types_and_the_rest_is_a_download(tmp_path, monkeypatch):
    many = {f"Synthetic Practice {i:02d}": "primary_care" if i % 2 else "other" for i in range(12)}
    source = staged(tmp_path, synthetic_respondents(400, organisations=many))
    monkeypatch.setenv(book_pages.ROOT_VARIABLE, str(source))
    shown = []
    monkeypatch.setattr(book_pages, "display", lambda markdown: shown.append(markdown.data))
    book_pages.by_organisation("sex", caption="Sex by organisation type")
    assert len(shown) == 1
    assert "Organisation type" in shown[0] and "Primary care" in shown[0]
    assert "Synthetic Practice" not in shown[0]
    assert "{download}`sex.csv <../data/yours/sex.csv>`" in shown[0]
