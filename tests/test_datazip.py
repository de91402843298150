"""The data download: one versioned zip with every data file the package lists (never a glob, never
a file outside data/), the package, codebook and licence."""

import json
import zipfile

import pytest

from nhsreport import paths
from nhsreport.data.errors import DataErrors
from nhsreport.pipeline import datazip


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


# --- only what the package lists, from inside data/, is published ------------------------------


def test_an_unlisted_symlink_to_the_environment_stops_the_zip_and_is_named(data_copy, tmp_path):
    (data_copy.folder / "zz.csv").symlink_to("/proc/self/environ")
    destination = tmp_path / "data.zip"
    with pytest.raises(DataErrors) as caught:
        datazip.write(destination, data_dir=data_copy.folder)
    assert "data/zz.csv: rule 'listed in datapackage.json' broken" in str(caught.value)
    assert not destination.exists()


def test_a_listed_file_symlinked_out_of_data_stops_the_zip_and_is_named(data_copy, tmp_path):
    (tmp_path / "secret.csv").write_text("TOKEN_Zq81x\n")
    (data_copy.folder / "tenure.csv").unlink()
    (data_copy.folder / "tenure.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(DataErrors) as caught:
        datazip.members(data_copy.folder)
    assert "data/tenure.csv: rule 'inside data/' broken" in str(caught.value)
    assert "TOKEN" not in str(caught.value)


def test_the_zip_holds_what_the_package_lists_whatever_its_name(data_copy, tmp_path, monkeypatch):
    # The figures were made from tenure.csv: the crate rightly refuses the renamed file
    # (tests/test_research_object.py); here only the package's own members are under test.
    monkeypatch.setattr(datazip.research_object, "zip_members", lambda data_dir=None: [])
    (data_copy.folder / "tenure.csv").rename(data_copy.folder / "tenure.txt")
    package_file = data_copy.folder / "datapackage.json"
    package = json.loads(package_file.read_text(encoding="utf-8"))
    next(r for r in package["resources"] if r["name"] == "tenure")["path"] = "tenure.txt"
    package_file.write_text(json.dumps(package), encoding="utf-8")
    zipped = names_in(datazip.write(tmp_path / "data.zip", data_dir=data_copy.folder))
    assert "tenure.txt" in zipped and "tenure.csv" not in zipped
