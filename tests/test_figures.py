"""Citable figures and tables: stable labels, complete downloads, an honest manifest, and files
that regenerate byte for byte (the regeneration itself is in test_build.py)."""

import json
import re

import pytest

from nhsreport import paths
from nhsreport.analyses import figures_and_tables as catalogue
from nhsreport.hashing import sha256_of
from nhsreport.pipeline import provenance

PUBLISHED = paths.FIGURES_DIR / "published_labels.json"
FIGURE_FILES = ("svg", "png", "pdf", "thumb.png", "values.csv")
BOOKKEEPING = {"manifest.json", "published_labels.json"}


def book_labels():
    return {label: kind for label, kind, _ in catalogue.labels_in_book_order()}


def register_labels():
    """The registers the chapters save as downloads (Chapter.register): in the manifest, not numbered."""
    code = "\n".join(path.read_text(encoding="utf-8") for path in sorted(paths.CHAPTERS_DIR.glob("*.md")))
    return set(re.findall(r"chapter\.register\([^\n]*?[\"'](reg-[a-z0-9-]+)[\"']", code))


def manifest():
    return json.loads((paths.FIGURES_DIR / provenance.MANIFEST).read_text(encoding="utf-8"))


def published():
    return json.loads(PUBLISHED.read_text(encoding="utf-8"))


def test_every_label_in_the_book_is_published():
    new = sorted(set(book_labels()) - set(published()["published"]))
    assert new == [], f"add new labels to figures/published_labels.json deliberately: {new}"


def test_no_published_label_disappears_unless_deliberately_retired():
    registry = published()
    missing = sorted(set(registry["published"]) - set(book_labels()) - set(registry["retired"]))
    assert missing == [], f"published labels removed from the book (retire them explicitly): {missing}"


def test_labels_are_stable_identifiers():
    for label in book_labels():
        assert label == label.lower() and " " not in label and label.split("-")[0] in ("fig", "tbl")


def test_every_figure_and_table_of_the_book_is_in_the_manifest():
    assert sorted(set(book_labels()) - set(manifest())) == []


def test_the_manifest_matches_the_files():
    for label, entry in manifest().items():
        for name, digest in entry["files"].items():
            assert sha256_of(paths.FIGURES_DIR / name) == digest, f"{label}: {name} changed"
        for name, digest in entry["data"].items():
            assert sha256_of(paths.DATA_DIR / name) == digest, f"{label}: data {name} changed since"


def test_every_entry_names_the_installed_versions_of_the_key_packages(tmp_path, monkeypatch):
    """Only the key packages that requirements.txt pins are named; any other is None."""
    from nhsreport import environment

    installed = environment.package_versions()
    assert provenance.key_package_versions() == {name: installed[name] for name in provenance.KEY_PACKAGES}
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==1.0\n", encoding="utf-8")
    pinned_numpy_only = {name: None for name in provenance.KEY_PACKAGES} | {"numpy": installed["numpy"]}
    monkeypatch.setattr(environment.paths, "PROJECT_ROOT", tmp_path)
    assert provenance.key_package_versions() == pinned_numpy_only


def test_no_file_in_figures_is_an_orphan():
    listed = {name for entry in manifest().values() for name in entry["files"]}
    present = {p.name for p in paths.FIGURES_DIR.iterdir()} - BOOKKEEPING
    assert sorted(present - listed) == []


def test_no_manifest_entry_is_left_from_a_removed_figure():
    assert sorted(set(manifest()) - set(book_labels()) - register_labels()) == []


@pytest.mark.parametrize("label", [l for l, k in book_labels().items() if k == "figure"])
def test_every_figure_has_svg_png_pdf_thumbnail_and_values(label):
    assert sorted(manifest()[label]["files"]) == sorted(f"{label}.{s}" for s in FIGURE_FILES)


def test_every_table_has_a_csv_download():
    for label, kind in book_labels().items():
        if kind == "table":
            assert list(manifest()[label]["files"]) == [f"{label}.csv"]


def test_the_full_size_png_is_300_dpi():
    import struct

    for label, kind in book_labels().items():
        if kind != "figure":
            continue
        data = (paths.FIGURES_DIR / f"{label}.png").read_bytes()
        chunk = data.index(b"pHYs")
        per_metre = struct.unpack(">I", data[chunk + 4 : chunk + 8])[0]
        assert round(per_metre * 0.0254) == 300, label


def glued_figures():
    """{label: the SVG glued into a chapter's notebook}, for every figure the chapters glue."""
    key = "application/papermill.record/image/svg+xml"
    return {
        output["metadata"]["scrapbook"]["name"]: "".join(output["data"][key])
        for notebook in paths.CHAPTERS_DIR.glob("*.ipynb")
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
        if key in output.get("data", {})
    }


def test_the_figure_on_the_page_is_byte_for_byte_its_svg_download():
    figures = [label for label, kind in book_labels().items() if kind == "figure"]
    glued = glued_figures()
    assert sorted(glued) == sorted(figures)
    for label in figures:
        assert glued[label] == (paths.FIGURES_DIR / f"{label}.svg").read_text(encoding="utf-8"), label


def test_every_thumbnail_is_its_png_scaled_to_40_dpi():
    from PIL import Image

    for label, kind in book_labels().items():
        if kind == "figure":
            full, thumb = (Image.open(paths.FIGURES_DIR / f"{label}.{s}") for s in ("png", "thumb.png"))
            assert thumb.size == tuple(max(1, round(side * 40 / 300)) for side in full.size), label


def test_every_figure_block_has_alt_text_and_no_typed_downloads():
    """The downloads are generated beside every figure (the cite block's "Source data"), never
    typed under it."""
    for notebook in paths.CHAPTERS_DIR.glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and "{glue:figure}" in text:
                for block in text.split("```{glue:figure}")[1:]:
                    label = block.split()[0]
                    body = block.split("```")[0]
                    assert f":name: {label}" in body, f"{notebook.name}: {label} needs :name:"
                    assert ":alt:" in body, f"{notebook.name}: {label} needs alt text"
                    assert "{download}" not in body, f"{label}: a typed download"


def test_the_cite_block_links_every_download_of_a_figure():
    from nhsreport.pipeline.cite_blocks import source_data_html

    entry = {"kind": "figure", "notebook": "chapters/x.ipynb", "data": {}}
    links = re.findall(r'href="([^"]+)"', source_data_html("fig-x", entry, lambda path, _: path))
    suffixes = ("svg", "png", "pdf", "values.csv")
    downloads = [link for link in links if link.startswith("_downloads/")]
    assert downloads == [f"_downloads/source-data/fig-x.{suffix}" for suffix in suffixes]
    assert links == [*downloads, "ro-crate-metadata.json"]  # and its provenance


def test_the_catalogue_refuses_a_figure_missing_from_the_manifest(monkeypatch):
    entries = manifest()
    entries.pop(next(iter(book_labels())))
    monkeypatch.setattr(catalogue, "read_manifest", lambda folder=None: entries)
    with pytest.raises(KeyError):
        catalogue.catalogue_markdown()


def test_every_figure_s_smallest_text_is_at_least_9_px_on_a_desktop_page():
    from nhsreport.presentation.legibility import MINIMUM_PX

    figures = {label: e for label, e in manifest().items() if e["kind"] == "figure"}
    assert figures and all("smallest_text_px" in e for e in figures.values())
    assert {
        label: e["smallest_text_px"] for label, e in figures.items() if e["smallest_text_px"] < MINIMUM_PX
    } == {}


def test_the_legibility_measure_catches_small_text_and_a_figure_shrunk_to_fit():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nhsreport.presentation.legibility import MINIMUM_PX, smallest_text_px

    fig, ax = plt.subplots(figsize=(5, 3))
    ax.set_title("A title")
    assert smallest_text_px(fig) >= MINIMUM_PX
    ax.text(0.5, 0.5, "tiny", fontsize=5)
    assert smallest_text_px(fig) < MINIMUM_PX
    wide, ax = plt.subplots(figsize=(20, 3))
    ax.text(0.1, 0.5, "fine at natural size", fontsize=8)
    ax.text(0.9, 0.5, "but the page shrinks it", fontsize=8)
    assert smallest_text_px(wide) < MINIMUM_PX
    plt.close("all")


def test_every_figure_has_a_csv_of_the_values_it_draws():
    import pandas as pd

    for label, entry in manifest().items():
        if entry["kind"] == "figure":
            assert f"{label}.values.csv" in entry["files"], label
            values = pd.read_csv(paths.FIGURES_DIR / f"{label}.values.csv")
            assert len(values) > 0 and list(values.columns)[:3] == ["panel", "element", "series"], label


def test_the_values_csv_is_read_back_from_what_is_drawn():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nhsreport.presentation.drawn import drawn_values

    fig, ax = plt.subplots()
    ax.barh([0, 1], [5, 7], label="Clinical")
    ax.set_yticks([0, 1], ["Acute", "Care"])
    ax.text(5, 0, "5")
    values = drawn_values(fig)
    bars = values[values["element"] == "bar"]
    assert list(bars["y"]) == ["Acute", "Care"] and list(bars["width"]) == [5, 7]
    assert set(bars["series"]) == {"Clinical"} and list(values[values["element"] == "text"]["text"]) == ["5"]
    ax.patches[1].set_width(8)  # a changed figure gives changed values
    assert list(drawn_values(fig)[lambda v: v["element"] == "bar"]["width"]) == [5, 8]
    plt.close(fig)
