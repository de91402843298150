"""The "Figures and tables" page: every figure and table with its number, caption, downloads,
provenance and a ready citation, built from ``figures/manifest.json``.

The page is MyST. Labels and captions are written by the chapters' code; everything else comes
from inputs (data file names, the report's title and version) and is escaped with
:mod:`nhsreport.presentation.tables`' functions, so a file name holding a role such as
``{download}`...``` shows as its characters and publishes nothing.

Each entry's citation is not written here: the entry ends with an ``{item-citation}`` directive,
which :mod:`nhsreport.pipeline.cite_blocks` fills in with the citation that
:mod:`nhsreport.presentation.citation` writes for the "Cite this" block beside the item itself,
once the book is numbered."""

import re

import jupytext

from ..contents import chapter_sources
from ..data.reads import read_manifest, record_read
from ..presentation.tables import code

LABEL = re.compile(r"[\"']((fig|tbl)-[a-z0-9-]+)[\"']")
KINDS = {"fig": "figure", "tbl": "table"}
FIGURE_DOWNLOADS = ("svg", "png", "pdf")


def labels_in_book_order():
    """(label, kind, notebook stem) in the order they appear in the book's notebooks."""
    found = []
    for source in chapter_sources():
        record_read(f"chapters/{source.name}#code")  # the labels live in its code; prose is no input
        code = "\n".join(
            cell.source
            for cell in jupytext.read(source).cells
            if cell.cell_type == "code"
            and ("chapter.figure(" in cell.source or "chapter.table(" in cell.source)
        )
        for label, prefix in LABEL.findall(code):
            if label not in {f[0] for f in found}:
                found.append((label, KINDS[prefix], source.stem))
    return found


def downloads(label, kind):
    suffixes = FIGURE_DOWNLOADS if kind == "figure" else ("csv",)
    return ", ".join(f"{{download}}`{s.upper()} <../figures/{label}.{s}>`" for s in suffixes)


def literal(text):
    """A file name, hash or version as an inline literal in the page (never markup)."""
    return code(text).myst


def provenance_text(entry):
    data = "; ".join(
        f"{literal(name)} (sha256 {literal(digest[:12])})" for name, digest in entry["data"].items()
    )
    versions = ", ".join(f"{name} {version}" for name, version in entry["packages"].items())
    return (
        f"Made by {literal(entry['notebook'])} from {data or 'no data file'}; code hashes: notebook "
        f"{literal(entry['code']['notebook_sha256'][:12])}, modules "
        f"{literal(entry['code']['modules_sha256'][:12])}; {versions}."
    )


BOOK_NUMBER = re.compile(
    r"(?P<lead>\b[Tt]he\s+)?(?:book\s+)?(?P<unprinted>[Uu]nprinted\s+)?"
    r"(?P<kind>Tables?|Figures?)\s+(?P<numbers>\d+\.\d+(?:\s*(?:,|and|to)\s*\d+\.\d+)*)"
)
LIST_BEFORE = re.compile(r"(?:Tables?|Figures?)?\s*\d+(?:\.\d+)?\s*(?:,|and|to)\s*$")
OWNER_BEFORE = re.compile(r"(?:book's|report's|book’s|report’s)\s*$")


def book_numbering(caption):
    """Name the source's tables and figures as the book's in a chapter's caption.

    Captions are written by the chapters; a bare "Table 3.7" there could be read as this report's
    own numbering, so the catalogue says "the book's Table 3.7". Every numbered table or figure
    named in a caption of this report is one of the book's (the NIHR report's are always named
    as such)."""

    def owned(match):
        before = LIST_BEFORE.sub("", caption[: match.start()])
        if OWNER_BEFORE.search(before):
            return match.group(0)
        unprinted = " (values not printed)" if match.group("unprinted") else ""
        owner = "The book's" if match.start() == 0 else "the book's"
        return f"{owner} {match.group('kind')} {match.group('numbers')}{unprinted}"

    return BOOK_NUMBER.sub(owned, caption)


def sentence(text):
    text = text.strip()
    return text if text.endswith(".") else text + "."


def entry_markdown(label, kind, stem, entry):
    entry = {**entry, "caption": book_numbering(entry["caption"])}
    lines = [f"({label}-catalogue)=", f"**{{numref}}`{label}`** — {sentence(entry['caption'])}", ""]
    if kind == "figure":
        lines += [
            f"```{{image}} ../figures/{label}.thumb.png",
            f":alt: Thumbnail of {label}: {entry['caption']}",
            ":width: 280px",
            f":target: {stem}.html#{label}",
            "```",
            "",
        ]
    lines += [
        f"Downloads: {downloads(label, kind)}",
        "",
        provenance_text(entry),
        "",
        f"```{{item-citation}} {label}",
        "```",
        "",
    ]
    return "\n".join(lines)


def catalogue_markdown():
    """Markdown for every figure and table in book order; fails loudly on a missing manifest entry."""
    manifest = read_manifest()
    parts = []
    for label, kind, stem in labels_in_book_order():
        if label not in manifest:
            raise KeyError(f"{label} is in chapters/{stem}.ipynb but not in figures/manifest.json")
        parts.append(entry_markdown(label, kind, stem, manifest[label]))
    return "\n".join(parts)


def count_by_kind():
    kinds = [kind for _, kind, _ in labels_in_book_order()]
    return kinds.count("figure"), kinds.count("table")
