"""nhsreport.pipeline.verify_outputs: the outputs match figures/manifest.json and the site's RO-Crate.

The mutation tests alter, delete or add a file in a private copy of figures/, and check a small
crate made here (synthetic: two made-up files and their records).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from nhsreport import paths
from nhsreport.pipeline import verify_outputs


@pytest.fixture
def figures_copy(tmp_path):
    folder = tmp_path / "figures"
    shutil.copytree(paths.FIGURES_DIR, folder)
    return folder


def first_output(figures_dir):
    manifest = json.loads((figures_dir / "manifest.json").read_text(encoding="utf-8"))
    label = sorted(manifest)[0]
    return label, sorted(manifest[label]["files"])[0]


def test_the_committed_figures_match_the_manifest():
    assert verify_outputs.manifest_mismatches() == []


def test_an_altered_output_is_named(figures_copy):
    label, name = first_output(figures_copy)
    with open(figures_copy / name, "ab") as handle:
        handle.write(b"\n")
    [problem] = verify_outputs.manifest_mismatches(figures_copy)
    assert problem.startswith(f"figures/{name}: sha256 ") and f"figures/manifest.json ({label})" in problem


def test_a_missing_output_is_named(figures_copy):
    label, name = first_output(figures_copy)
    (figures_copy / name).unlink()
    assert verify_outputs.manifest_mismatches(figures_copy) == [
        f"figures/{name}: missing, recorded in figures/manifest.json ({label})"
    ]


def test_an_output_the_manifest_does_not_record_is_named(figures_copy):
    (figures_copy / "fig-stray.svg").write_text("<svg/>", encoding="utf-8")
    assert verify_outputs.manifest_mismatches(figures_copy) == [
        "figures/fig-stray.svg: not recorded in figures/manifest.json"
    ]


def synthetic_crate(folder):
    """A made-up crate: two files with their sha256, a URL and a #fragment (neither a file)."""
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (folder / "b.svg").write_text("<svg/>", encoding="utf-8")
    graph = [
        {"@id": "./", "@type": "Dataset"},
        *(
            {"@id": name, "@type": "File", "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest()}
            for name in ("data/a.csv", "b.svg")
        ),
        {"@id": "https://example.org/x.csv", "@type": "File", "sha256": "0" * 64},
        {"@id": "#run-1", "@type": "CreateAction", "sha256": "0" * 64},
    ]
    crate = {"@context": "https://w3id.org/ro/crate/1.1/context", "@graph": graph}
    (folder / verify_outputs.CRATE).write_text(json.dumps(crate), encoding="utf-8")
    return folder


def test_a_crate_whose_files_match_passes(tmp_path):
    assert verify_outputs.crate_mismatches(synthetic_crate(tmp_path / "site")) == []


def test_an_altered_or_missing_crate_file_is_named(tmp_path):
    site = synthetic_crate(tmp_path / "site")
    (site / "data" / "a.csv").write_text("x\n2\n", encoding="utf-8")
    (site / "b.svg").unlink()
    problems = verify_outputs.crate_mismatches(site)
    assert len(problems) == 2
    assert problems[0].startswith("data/a.csv: sha256 ") and problems[0].endswith(
        " in ro-crate-metadata.json"
    )
    assert problems[1] == "b.svg: missing, recorded in ro-crate-metadata.json"


def run_main(figures_dir, *arguments):
    env = {**os.environ, "NHSREPORT_FIGURES": str(figures_dir)}
    return subprocess.run(
        [sys.executable, "-m", "nhsreport.pipeline.verify_outputs", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_exits_1_naming_each_mismatch_and_checks_the_crate_when_the_site_has_one(
    figures_copy, tmp_path
):
    site = synthetic_crate(tmp_path / "site")
    good = run_main(figures_copy, "--site", str(site))
    assert good.returncode == 0 and good.stdout == "every output matches its record\n", good.stderr
    (site / "b.svg").write_text("<svg></svg>", encoding="utf-8")
    (figures_copy / "fig-stray.svg").write_text("<svg/>", encoding="utf-8")
    bad = run_main(figures_copy, "--site", str(site))
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert lines[0] == "figures/fig-stray.svg: not recorded in figures/manifest.json"
    assert lines[1].startswith("b.svg: sha256 ") and len(lines) == 2


def test_a_site_without_a_crate_checks_the_manifest_only(figures_copy, tmp_path):
    assert run_main(figures_copy, "--site", str(tmp_path)).returncode == 0
