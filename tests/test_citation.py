"""The report can be cited: CITATION.cff is valid CFF 1.2.0 and names the study it re-presents."""

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from nhsreport import paths


def cff_schema():
    # Locate the bundled schema without importing cffconvert (its imports need its own pins).
    package = Path(importlib.util.find_spec("cffconvert").submodule_search_locations[0])
    return json.loads((package / "schemas" / "1.2.0" / "schema.json").read_text(encoding="utf-8"))


def load_cff():
    return yaml.safe_load((paths.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_against_the_cff_schema():
    jsonschema.validate(load_cff(), cff_schema())


def test_the_schema_check_rejects_a_broken_citation_file():
    broken = load_cff()
    del broken["authors"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, cff_schema())


def test_the_citation_names_the_study_and_the_landing_page_says_how_to_cite():
    cff = load_cff()
    assert cff["preferred-citation"]["title"].startswith("Managing Modern Healthcare")
    assert cff["version"] in (paths.PROJECT_ROOT / "index.md").read_text(encoding="utf-8")
    assert "## How to cite" in (paths.PROJECT_ROOT / "index.md").read_text(encoding="utf-8")
