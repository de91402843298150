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
            assert len(values) > 0, label
            # the table it was drawn from, which the round-trip test redraws it from: no geometry
            assert label in TIDY_VALUES, label
            assert not set(values.columns) & {"panel", "element", "x", "y", "width", "height"}, label


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


# --- values drawn from a tidy table; ranges drawn as ranges; one colour, one meaning -------------
def palette_names():
    """{dimension: {name a figure shows: colour}} for every palette of presentation.style."""
    from nhsreport.data.codes import cohort_labels, trust_labels
    from nhsreport.presentation import style

    names = {"trust": trust_labels(), "group": cohort_labels()}
    return {
        dimension: style.by_name(palette, names[dimension]) if dimension in names else dict(palette)
        for dimension, palette in style.PALETTES.items()
    }


def cohort_names():
    from nhsreport.data.codes import cohort_labels

    return cohort_labels()


def trust_names():
    from nhsreport.data.codes import trust_labels

    return trust_labels()


def range_drawing(panels, dimension):
    from nhsreport.presentation.ranges import range_figure

    return lambda values: range_figure(
        values, panels, "training level", palette_names()[dimension], "Managers"
    )


def drawing(module, name):
    """A figure-drawing function of a chapter's analysis module."""
    from importlib import import_module

    return getattr(import_module(f"nhsreport.analyses.{module}"), name)


def with_group_names(module, name):
    """A drawing function that also takes the management groups' names."""
    return lambda values: drawing(module, name)(values, cohort_names())


def read_ranges(fig):
    from nhsreport.presentation.drawn import drawn_ranges

    return drawn_ranges(fig).drop(columns=["panel", "category"]).values.tolist()


def read_bars(*columns):
    """The drawn bars' ``columns`` (of presentation.drawn.drawn_values), in drawing order."""
    from nhsreport.presentation.drawn import drawn_values

    return lambda fig: drawn_values(fig).query("element == 'bar'")[list(columns)].values.tolist()


def read_squares(fig):
    """Claims of each verdict: the waffle's squares counted by colour, in the verdicts' order."""
    from collections import Counter

    from matplotlib.colors import to_hex

    from nhsreport.analyses.appendix_reproducibility import VERDICT_COLOURS, VERDICTS

    squares = Counter(to_hex(p.get_facecolor()) for ax in fig.axes for p in ax.patches)
    return [[v, squares[to_hex(VERDICT_COLOURS[v])]] for v in VERDICTS]


def verdict_totals(values):
    from nhsreport.analyses.appendix_reproducibility import VERDICTS

    totals = values.groupby("verdict")["claims"].sum()
    return [[v, int(totals[v])] for v in VERDICTS]


def bars_per_panel(values):
    """Table 3.6's values in the order the two panels draw them: interviews (formal, informal) of
    each group, then each group's observation hours; the days are labels, not bars."""
    by = values.set_index(["group", "measure"])["value"]
    groups = list(dict.fromkeys(values["group"]))
    interviews = [by[(g, m)] for g in groups for m in ("Formal recorded interviews", "Informal interviews")]
    return [[v] for v in interviews + [by[(g, "Observation hours")] for g in groups]]


def interviewed_and_quoted(values):
    """Per trust and group, the bars drawn: managers interviewed, the fewest names quoted, and
    the names with conflicting labels stacked on top (only where there are any)."""
    bars = []
    for _, managers, low, high in values.iloc[:, 1:].itertuples(index=False):
        bars += [[managers], [low]] + ([[high - low]] if high > low else [])
    return bars


def read_cell_texts(fig):
    """The grid's cell counts and its '+1?' marks, in drawing order."""
    from nhsreport.presentation.drawn import drawn_values

    texts = drawn_values(fig).query("element == 'text'")["text"]
    return [[int(t)] if t.isdigit() else [t] for t in texts if t.isdigit() or t == "+1?"]


def counts_and_likely(values):
    cells = []
    for *_, quotations, likely in values.itertuples(index=False):
        cells += [[quotations]] + ([["+1?"]] if likely else [])
    return cells


def quote_grid_drawing():
    """The grid as the chapter draws it: from the table, with the attributions it could not place."""
    from nhsreport.analyses import management_and_leadership as ml
    from nhsreport.data.load import load_data

    unplaced = ml.unplaced_attributions(ml.section_quotes(load_data()["interviewee_quotes"]))
    return lambda values: ml.quote_grid_figure(values, unplaced)


def read_sub_points(fig):
    """The sub-points' boxes of the levels figure (their labels), in drawing order."""
    from nhsreport.presentation.drawn import drawn_values

    texts = drawn_values(fig).query("element == 'text'")["text"]
    return [t for t in texts if t.rstrip("…").replace(".", "").isdigit() and "." in t]


def sub_points_by_cell(values):
    """The sub-points as the figure draws them: row by row, level by level, '…' where cut off."""
    from nhsreport.analyses.recommendations import LEVEL_LABELS

    order = {name: index for index, name in enumerate(LEVEL_LABELS.values())}
    drawn = values.assign(_level=values["level"].map(order)).sort_values(
        ["recommendation", "_level"], kind="stable"
    )
    return [p + ("…" if cut else "") for p, cut in zip(drawn["sub-point"], drawn["cut off in the source"])]


def read_points(fig):
    from nhsreport.presentation.drawn import drawn_values

    return drawn_values(fig).query("element == 'point'")[["series", "x"]].values.tolist()


def read_timeline(fig):
    """Each row of the timeline as drawn: its label, first and last year (none when the bar fades
    out: no end printed), whether its label is in the conflicts' colour, and what its years are
    (a hatched box: the period in which the book's Table 2.1 lists the event)."""
    from matplotlib.colors import to_hex

    from nhsreport.analyses import nhs_management_context as timeline

    fig.draw_without_rendering()
    ax = fig.axes[0]
    conflict = to_hex(timeline.CONFLICT_COLOUR)
    ticks = [
        (y, t.get_text().replace("\n", " "), to_hex(t.get_color()) == conflict)
        for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    ]
    rows, placements = [], []
    for y, label, in_conflict in ticks:
        here = [
            p for p in ax.patches if p.get_height() < 1 and abs(p.get_y() + p.get_height() / 2 - y) < 1e-6
        ]
        boxes = [p for p in here if p.get_hatch()]
        bars = [p for p in here if not p.get_hatch()]
        marks = [line.get_xdata()[0] - 0.5 for line in ax.lines if abs(line.get_ydata()[0] - y) < 1e-6]
        fades = any(p.get_alpha() is not None and p.get_alpha() < 1 for p in bars)
        first = min([p.get_x() for p in bars] + marks)
        last = None if fades else max([p.get_x() + p.get_width() - 1 for p in bars] + marks)
        rows.append([label, int(first), None if last is None else int(last), in_conflict, timeline.AS_DATED])
        for box in boxes:
            years = [int(box.get_x()), int(box.get_x() + box.get_width() - 1)]
            placements.append([label, *years, in_conflict, timeline.TABLE_PLACEMENT])
    return rows + placements


def timeline_rows_from_csv(values):
    """The CSV's rows as the timeline must label them: the event with its printed years ('1983',
    '1991–1995', '1956–' when no end is printed); a period of the book's Table 2.1 on the row of
    the event it places."""
    labels, rows = {}, []
    for _, r in values.iterrows():
        first, last, no_end = int(r["first year"]), r["last year"], bool(r["no end printed"])
        last = None if no_end else int(last)
        if r["years are"] == values["years are"].iloc[0]:  # the events come first, then placements
            years = f"{first}–" if no_end else (f"{first}" if last == first else f"{first}–{last}")
            label = f"{r['event']} ({years})"
            labels.setdefault(r["event"], label)  # an event dated two ways: its first row
        else:
            label = labels[r["event"]]
        rows.append([label, first, last, bool(r["dated two ways by the book"]), r["years are"]])
    return rows


def framework_drawing():
    """The framework as the chapter draws it: from the table, with the words of its two axes."""
    from nhsreport.analyses import study_design
    from nhsreport.data.load import load_data

    return lambda values: study_design.cohort_framework_figure(values, load_data()["cohort_framework_axes"])


def read_roles(fig):
    """Every role the framework shows: in a region (the heading above it, the page it cites) or
    in the box of roles whose region is not determined; sorted."""
    from nhsreport.analyses.study_design import NOT_DETERMINED

    fig.draw_without_rendering()
    chart, box = fig.axes
    headings = {t.get_position()[0]: t.get_text() for t in chart.texts if t.get_text().isupper()}
    roles = []
    for text in chart.texts:
        found = re.fullmatch(r"(.+)\n\(text, p\. (\d+)\)", text.get_text(), re.S)
        if found:
            roles.append([found.group(1), headings[text.get_position()[0]].lower(), int(found.group(2))])
    roles += [[t.get_text(), NOT_DETERMINED, None] for t in box.texts[1:]]
    return sorted(roles, key=str)


def roles_from_csv(values):
    pages = values["page of the text that places it"]
    return sorted(
        [
            [role, region.lower(), None if page != page else int(page)]
            for role, region, page in zip(values["role (as printed)"], values["region"], pages)
        ],
        key=str,
    )


def read_pole_cells(fig):
    """Each cell of the type x dimension grid as drawn: type, dimension, the reading of its
    halves (filled halves, and the mark beside a cell with both filled), whether the fill is the
    'mostly' grey, and how far its type was inferred (hatched halves; an asterisk: partly)."""
    from matplotlib.colors import to_hex

    from nhsreport.analyses import networks

    fig.draw_without_rendering()
    ax = fig.axes[0]
    types = [t.get_text() for t in ax.get_yticklabels()]
    dims = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]

    def cell_of(x, y):  # a cell is 1.25 wide (its two halves and its marks) and 1 high
        return int(y), int(x // 1.25)

    halves, marks = {}, {}
    for patch in ax.patches:
        halves.setdefault(cell_of(patch.get_x(), patch.get_y()), []).append(patch)
    for text in ax.texts:
        marks.setdefault(cell_of(*text.get_position()), set()).add(text.get_text())
    cells = []
    for (r, c), patches in halves.items():
        filled = [to_hex(p.get_facecolor()) != "#ffffff" or bool(p.get_hatch()) for p in patches]
        # a filled half's colour: its fill, or the colour of its hatching
        colours = [to_hex(p.get_edgecolor() if p.get_hatch() else p.get_facecolor()) for p in patches]
        grey = any(
            f and colour == to_hex(networks.UNCERTAIN) for f, colour in zip(filled, colours, strict=True)
        )
        sides = [side for side, f in zip((networks.LEFT, networks.RIGHT), filled, strict=False) if f]
        here = marks.get((r, c), set())
        if len(patches) == 1:
            reading, inference = networks.SILENT, ""
        else:
            both = networks.VARIES if networks.VARIES_MARK in here else networks.BOTH
            reading = sides[0] if len(sides) == 1 else both
            partly = networks.PARTLY if "*" in here else networks.NAMED
            inference = networks.INFERRED if any(p.get_hatch() for p in patches) else partly
        cells.append([types[r], dims[c], networks.READING_TEXT[reading], grey, inference])
    return cells


def pole_cells_from_csv(values):
    columns = [
        "network type",
        "dimension",
        "reading",
        "only that the type mostly has it",
        "type named or inferred",
    ]
    return values[columns].fillna({"type named or inferred": ""}).values.tolist()


def read_group_marks(fig):
    """Each mark of the type x group grid as drawn: its row, its column (management group or
    trust), the kind of statement its shape stands for, hollow or not, faint or not."""
    import numpy as np
    from matplotlib.colors import to_hex
    from matplotlib.markers import MarkerStyle

    from nhsreport.analyses import networks

    fig.draw_without_rendering()
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    columns = list(zip(ax.get_xticks(), [t.get_text() for t in ax.get_xticklabels()], strict=True))
    shapes = {}
    for cls, marker in networks.CLASS_MARKER.items():
        style = MarkerStyle(marker)
        shapes[networks.CLASS_LABEL[cls]] = style.get_path().transformed(style.get_transform()).vertices
    marks = []
    for collection in ax.collections:
        (x, y), path = collection.get_offsets()[0], collection.get_paths()[0].vertices
        tick, group = min(columns, key=lambda column: abs(column[0] - x))
        statement = next(s for s, v in shapes.items() if v.shape == path.shape and np.allclose(v, path))
        kind = "trust" if tick > 2.8 else "management group"
        hollow = to_hex(collection.get_facecolor()[0]) == "#ffffff"
        marks.append([rows[int(round(y))], kind, group, statement, hollow, collection.get_alpha() < 1])
    return marks


def read_shares(fig):
    """Each row of the motives figure as drawn: its panel and label, the share's low and high
    (a dot, a grey bar or a diamond), its open ends (a hollow circle at the excluded bound), the
    managers and sample of a count (its text), and the thin bracket beneath (bounds if the four
    reference shares add up to 100)."""
    from matplotlib.colors import to_hex

    fig.draw_without_rendering()
    rows = []
    for ax in fig.axes:
        for y, tick in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True):
            lines = [line for line in ax.lines if abs(line.get_ydata()[0] - y) < 1e-6]
            brackets = [line for line in ax.lines if abs(line.get_ydata()[0] - y - 0.3) < 1e-6]
            dots = [c for c in ax.collections if abs(c.get_offsets()[0][1] - y) < 1e-6]
            hollow = [c.get_offsets()[0][0] for c in dots if to_hex(c.get_facecolor()[0]) == "#ffffff"]
            ends = [x for line in lines for x in line.get_xdata()] or [c.get_offsets()[0][0] for c in dots]
            low, high = min(ends), max(ends)
            counted = [
                re.match(r"(\d+) of (\d+) interviewed", t.get_text())
                for t in ax.texts
                if abs(t.get_position()[1] - y) < 1e-6
            ]
            counted = next(filter(None, counted), None)
            bracket = list(brackets[0].get_xdata()) if brackets else [None, None]
            rows.append(
                [
                    ax.get_title(loc="left"),
                    tick.get_text(),
                    low,
                    high,
                    bool(lines) and high in hollow,
                    bool(lines) and low in hollow,
                    *(map(int, counted.groups()) if counted else (None, None)),
                    *bracket,
                ]
            )
    return rows


def shares_from_csv(values):
    from nhsreport.analyses import networks

    titles = {networks.SHARE_OF[code]: title for code, title in networks.BASIS_TITLE.items()}
    rows = []
    for _, r in values.iterrows():
        suffix = networks.group_suffix(r["group"])
        whole = [None if v != v else int(v) for v in (r["managers"], r["of managers interviewed"])]
        bracket = [
            None if v != v else v for v in (r[networks.MOTIVE_COLUMNS[k]] for k in ("sum_low", "sum_high"))
        ]
        rows.append(
            [
                titles[r["share of"]],
                f"{r['motive']}{suffix} (p. {r['page']})",
                r["low (%)"],
                r["high (%)"],
                bool(r["open-ended downwards"]),
                bool(r["open-ended upwards"]),
                *whole,
                *bracket,
            ]
        )
    return rows


#: Figures drawn from a tidy table (their values CSV): {label: (how the chapter draws it from the
#: table, how its values are read back from the drawn figure, the CSV columns they must equal, or
#: the function of the CSV they must equal)}.
TIDY_VALUES = {
    "fig-training-by-trust": (
        lambda: range_drawing("trust", "trust"),
        read_ranges,
        ["low", "high", "low as read", "high as read"],
    ),
    "fig-training-by-cohort": (
        lambda: range_drawing("management group", "group"),
        read_ranges,
        ["low", "high", "low as read", "high as read"],
    ),
    "fig-sample-composition": (
        lambda: drawing("who_was_studied", "sample_composition"),
        read_bars("y", "series", "width"),
        ["trust", "status", "managers"],
    ),
    "fig-age-profile": (
        lambda: drawing("who_was_studied", "age_profile"),
        read_bars("series", "height"),
        ["trust", "managers"],
    ),
    "fig-tenure": (
        lambda: drawing("who_was_studied", "tenure_dots"),
        read_points,
        ["trust", "average years"],
    ),
    "fig-related-citations-by-theme": (
        lambda: drawing("related_evidence", "plot_works_per_theme"),
        read_bars("y", "series", "width"),
        ["theme", "cited", "works"],
    ),
    "fig-voices-most-quoted": (
        lambda: with_group_names("voices", "plot_most_quoted"),
        read_bars("width"),
        ["quotations"],
    ),
    "fig-voices-by-group": (
        lambda: with_group_names("voices", "plot_voices_by_group"),
        read_bars("height"),
        interviewed_and_quoted,
    ),
    "fig-careers-clinical-backgrounds": (
        lambda: drawing("careers_and_qualifications", "clinical_backgrounds_figure"),
        read_bars("width"),
        ["managers"],
    ),
    "fig-design-trust-size": (
        lambda: drawing("study_design", "trust_size_figure"),
        read_bars("height"),
        ["value"],
    ),
    "fig-design-data-collected": (
        lambda: drawing("study_design", "data_collected_figure"),
        read_bars("width"),
        bars_per_panel,
    ),
    "fig-leadership-quotes": (quote_grid_drawing, read_cell_texts, counts_and_likely),
    "fig-recommendations-levels": (
        lambda: drawing("recommendations", "levels_figure"),
        read_sub_points,
        sub_points_by_cell,
    ),
    "fig-appendix-claim-verdicts": (
        lambda: drawing("appendix_reproducibility", "plot_verdicts"),
        read_squares,
        verdict_totals,
    ),
    "fig-context-timeline": (
        lambda: drawing("nhs_management_context", "timeline_figure"),
        read_timeline,
        timeline_rows_from_csv,
    ),
    "fig-design-cohort-framework": (framework_drawing, read_roles, roles_from_csv),
    "fig-networks-type-dimension": (
        lambda: drawing("networks", "type_dimension_figure"),
        read_pole_cells,
        pole_cells_from_csv,
    ),
    "fig-networks-type-group": (
        lambda: (
            lambda values: drawing("networks", "type_group_figure")(values, trust_names(), cohort_names())
        ),
        read_group_marks,
        [
            "network type",
            "group kind",
            "group",
            "statement",
            "type inferred from wording",
            "expectation before fieldwork",
        ],
    ),
    "fig-networks-motives": (
        lambda: drawing("networks", "motives_figure"),
        read_shares,
        shares_from_csv,
    ),
}


#: Columns of a values CSV that look like numbers but are labels (sub-point "6.10" is not 6.1).
CSV_TEXT = {"fig-recommendations-levels": {"sub-point": str}}


def redrawn(label):
    """The figure drawn again from nothing but its values CSV, as the chapter draws it."""
    import pandas as pd

    from nhsreport.presentation import style
    from nhsreport.presentation.chapter import draw_text_as_typed

    style.apply()
    values = pd.read_csv(paths.FIGURES_DIR / f"{label}.values.csv", dtype=CSV_TEXT.get(label))
    fig = TIDY_VALUES[label][0]()(values)
    draw_text_as_typed(fig)
    return values, fig


@pytest.mark.parametrize("label", sorted(TIDY_VALUES))
def test_a_figure_is_drawn_from_its_values_csv_and_reads_back_the_same(label):
    """Drawn from the CSV alone, the figure is byte for byte the published SVG, and the values
    read back from its artists are the CSV's rows: the CSV is exactly what the figure shows."""
    import matplotlib.pyplot as plt

    from nhsreport.presentation.figure_files import drawn

    values, fig = redrawn(label)
    _, read, columns = TIDY_VALUES[label]
    assert read(fig) == (columns(values) if callable(columns) else values[columns].values.tolist())
    assert drawn(fig, "svg") == (paths.FIGURES_DIR / f"{label}.svg").read_bytes()
    plt.close(fig)


@pytest.mark.parametrize("label", ["fig-training-by-trust", "fig-training-by-cohort"])
def test_a_range_is_never_drawn_as_a_bar(label):
    from matplotlib.patches import Rectangle

    _, fig = redrawn(label)
    assert not [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle)]


def test_a_determined_count_of_zero_is_a_visible_dot_reported_as_zero():
    """Synthetic data (test only): one determined count of 0 and one range."""
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from nhsreport.presentation.drawn import drawn_ranges
    from nhsreport.presentation.ranges import range_figure

    table = pd.DataFrame(
        {
            "trust": ["A", "A"],
            "level": ["minimal", "some"],
            "low": [0, 2],
            "high": [0, 9],
            "low as read": [0, 3],
            "high as read": [0, 5],
        }
    )
    fig = range_figure(table, "trust", "level", {"A": "#0072B2"}, "Managers")
    read = drawn_ranges(fig)
    assert read[["low", "high", "low as read", "high as read"]].values.tolist() == [
        [0, 0, 0, 0],
        [2, 9, 3, 5],
    ]
    dots = [c for c in fig.axes[0].collections if len(c.get_offsets())]
    assert len(dots) == 1 and not dots[0].get_clip_on()  # drawn on the axis, not clipped away


def test_every_palette_colour_has_one_meaning():
    """No colour is in two palettes (contradiction is one meaning, shared by the verdicts and the
    timeline's conflicts); in particular trusts and management groups never share a colour."""
    from nhsreport.presentation import style

    meanings = {}
    for dimension, palette in style.PALETTES.items():
        for name, colour in palette.items():
            meaning = "contradiction" if colour == style.CONTRADICTION else f"{dimension}: {name}"
            meanings.setdefault(colour.lower(), set()).add(meaning)
    assert {colour: m for colour, m in meanings.items() if len(m) > 1} == {}
    assert not set(style.TRUST_COLOURS.values()) & set(style.COHORT_COLOURS.values())


#: The dimensions whose colours may stand for nothing else in a legend.
CATEGORIES = ("trust", "group", "background")


def palette_breaks(pairs, palettes):
    """Legend entries whose colour is not their category's, or that show a trust's, group's or
    background's colour under another name: [label, colour, what was expected]."""
    expected = {
        name.lower(): colour.lower() for palette in palettes.values() for name, colour in palette.items()
    }
    owner = {colour.lower(): name for d in CATEGORIES for name, colour in palettes[d].items()}
    breaks = []
    for label, colour in pairs:
        name = label.strip().lower()
        if name in expected and expected[name] != colour:
            breaks.append([label, colour, expected[name]])
        elif name not in expected and colour in owner and owner[colour].lower() not in name:
            breaks.append([label, colour, f"the colour of {owner[colour]}"])
    return breaks


def test_every_figure_s_categories_take_their_palette_s_colours():
    """Read from each drawn figure's legend (its labels and the colours of their keys), as the
    manifest records them."""
    palettes = palette_names()
    figures = {label: e for label, e in manifest().items() if e["kind"] == "figure"}
    assert all("legend_colours" in e for e in figures.values())
    found = {label: palette_breaks(e["legend_colours"], palettes) for label, e in figures.items()}
    assert {label: b for label, b in found.items() if b} == {}


def test_the_palette_check_catches_a_category_in_another_colour():
    """Synthetic legends (test only), read back from drawn figures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from nhsreport.presentation.drawn import legend_colours

    palettes = palette_names()
    acute, care = palettes["trust"]["Acute"], palettes["trust"]["Care"]
    fig, ax = plt.subplots()
    # keyed like the chart's segments: a coloured fill with a white outline
    ax.legend(
        handles=[
            Patch(facecolor=acute, edgecolor="white", label="Acute"),
            Patch(facecolor=care, edgecolor="white", label="Formal interviews"),
        ]
    )
    assert palette_breaks(legend_colours(fig), palettes) == [
        ["Formal interviews", care.lower(), "the colour of Care"]
    ]
    ax.legend(handles=[Patch(color=care, label="Acute")])
    assert palette_breaks(legend_colours(fig), palettes) == [["Acute", care.lower(), acute.lower()]]
    plt.close(fig)


def figure_blocks():
    """{label: the caption of its figure block} for every figure block in the chapters' text."""
    blocks = {}
    for text_source in paths.CHAPTERS_DIR.glob("*.md"):
        for label, body in re.findall(
            r"```\{glue:figure\} (\S+)\n(.*?)```", text_source.read_text("utf-8"), re.S
        ):
            blocks[label] = "\n".join(line for line in body.splitlines() if not line.startswith(":")).strip()
    return blocks


GLUED_TEXT = "application/papermill.record/text/plain"


def glued_texts():
    """{name: value} of every text the chapters' notebooks glue."""
    import ast

    return {
        output["metadata"]["scrapbook"]["name"]: ast.literal_eval("".join(output["data"][GLUED_TEXT]))
        for notebook in paths.CHAPTERS_DIR.glob("*.ipynb")
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
        if set(output.get("data", {})) == {GLUED_TEXT}
    }


def test_each_figure_s_caption_is_written_once():
    """The code's caption (kept by the manifest, the catalogue and "Cite this") opens the figure's
    caption on the page, pasted by glue, and the text never types it a second time."""
    blocks, glued, entries = figure_blocks(), glued_texts(), manifest()
    assert sorted(blocks) == sorted(label for label, kind in book_labels().items() if kind == "figure")
    for label, caption in blocks.items():
        assert caption.startswith(f"{{glue:text}}`{label}-caption`"), (
            f"{label}: the caption is typed in the text"
        )
        assert glued[f"{label}-caption"] == entries[label]["caption"], label
        assert " ".join(entries[label]["caption"].split()) not in " ".join(caption.split()), label
