"""The data download: one versioned zip with every data file, the package, codebook and licence."""

import json
import zipfile

from nhsreport import paths
from nhsreport.build import datazip


def names_in(path):
    with zipfile.ZipFile(path) as archive:
        return {name.split("/", 1)[1] for name in archive.namelist()}


def test_the_zip_holds_every_resource_the_package_the_codebook_and_the_licence(tmp_path):
    zipped = names_in(datazip.write(tmp_path / "data.zip"))
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    expected = {r["path"] for r in package["resources"]}
    expected |= {"datapackage.json", "README.md", "TRANSCRIPTION.md", "LICENSE-DATA"}
    assert expected <= zipped


def test_the_same_data_give_the_same_bytes_and_changed_data_change_them(tmp_path, monkeypatch):
    first = datazip.write(tmp_path / "a.zip").read_bytes()
    assert datazip.write(tmp_path / "b.zip").read_bytes() == first
    copy = tmp_path / "data"
    copy.mkdir()
    for path, name in datazip.members():
        if path.parent == paths.DATA_DIR:
            (copy / name).write_bytes(path.read_bytes())
    (copy / "trusts.csv").write_text("changed\n")
    monkeypatch.setattr(paths, "DATA_DIR", copy)
    # The zip's RO-Crate refuses data the figures were not made from (tests/test_research_object.py).
    monkeypatch.setattr(datazip.research_object, "zip_members", lambda data_dir=None: [])
    assert datazip.write(tmp_path / "c.zip").read_bytes() != first
