"""Sphinx extension: "Cite this" and "Source data" beside every figure and table, the report's
citation on the home page, and Google Scholar (Highwire) meta tags on every page.

Numbers exist only once Sphinx has numbered the book, so the blocks are added here, at
``doctree-resolved``, after each figure or table whose label is in ``figures/manifest.json``:
a collapsed block with the citation in plain text, BibTeX, RIS and CSL-JSON (from
:mod:`nhsreport.presentation.citation`, so from ``metadata.yml``) and the item's source data: its
downloads and the data files it was made from, with their sha256. Every text is HTML-escaped.

Two directives place the same generator's texts elsewhere: ``{report-citation}`` (the home page:
the whole report in every format) and ``{item-citation} <label>`` (the "Figures and tables" page:
one item's citation, filled in at ``doctree-resolved`` once the item has its number).
"""

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..presentation import citation
from . import provenance

FIGURE_DOWNLOADS = ("svg", "png", "pdf", "values.csv")
KINDS = {"figure": "Figure", "table": "Table"}
#: Link text of each download ("values.csv" is exactly what the figure draws).
DOWNLOAD_NAMES = {"values.csv": "values drawn (CSV)"}


def labelled_items(doctree, manifest):
    """(node, label) of every figure and table on the page that the manifest knows."""
    for node in doctree.findall(lambda n: isinstance(n, nodes.figure | nodes.table | nodes.container)):
        for label in node.get("ids", []):
            if label in manifest:
                yield node, label


DOWNLOAD_LINE = "Download:"


def end_of_item(node):
    """The last node that belongs to a table: its source note and its download line follow it as
    paragraphs (see :func:`nhsreport.presentation.tables.markdown_table_block`), and "Cite this"
    goes after them, never between a table and its note. A figure ends with itself."""
    if not isinstance(node, nodes.table):
        return node
    siblings = node.parent.children[node.parent.index(node) + 1 :]
    for sibling in siblings:
        if not isinstance(sibling, nodes.paragraph):
            break
        if sibling.astext().startswith(DOWNLOAD_LINE):
            return sibling
    return node


def number_of(env, docname, label, kind):
    figtype = "figure" if kind == "figure" else "table"
    numbers = env.toc_fignumbers.get(docname, {}).get(figtype, {})
    number = numbers.get(label)
    return f"{KINDS[kind]} {'.'.join(map(str, number))}" if number else None


def source_data_html(label, entry, pathto):
    kind = entry["kind"]
    suffixes = FIGURE_DOWNLOADS if kind == "figure" else ("csv",)
    links = ", ".join(
        f'<a href="{html.escape(pathto("_downloads/source-data/" + f"{label}.{s}", 1))}">{DOWNLOAD_NAMES.get(s, s.upper())}</a>'
        for s in suffixes
    )
    files = "".join(
        f'<li><code>data/{html.escape(name)}</code> <span class="sha">sha256 {html.escape(digest[:16])}…</span></li>'
        for name, digest in sorted(entry["data"].items())
    )
    return (
        f"<p><strong>Source data.</strong> Download: {links}. Made by "
        f"<code>{html.escape(entry['notebook'])}</code> from:</p><ul>{files}</ul>"
        f'<p>Provenance: <a href="{html.escape(pathto("ro-crate-metadata.json", 1))}">RO-Crate</a>.</p>'
    )


FORMAT_TITLES = (("text", "Plain text"), ("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON"))


def citation_sections_html(item, metadata, formats=FORMAT_TITLES):
    """The item's (or, for None, the report's) citation in each format, each under its name."""
    sections = []
    for fmt, title in formats:
        text = citation.cite_item(item, fmt, metadata) if item else citation.cite_report(fmt, metadata)
        sections.append(f"<p><strong>{title}</strong></p><pre>{html.escape(text)}</pre>")
    return "".join(sections)


def cite_block_html(item, entry, metadata, pathto):
    kind_word = "figure" if item.kind == "figure" else "table"
    return (
        f'<details class="cite-this" id="{html.escape(item.label)}-cite">'
        f"<summary>Cite this {kind_word} · source data</summary>"
        + citation_sections_html(item, metadata)
        + source_data_html(item.label, entry, pathto)
        + "</details>"
    )


def catalogue_citation_html(item, metadata):
    """The "Figures and tables" page's citation of one item: the same plain text and BibTeX as
    beside the item, no source data (the page lists the downloads and provenance itself), and no
    RIS or CSL-JSON: with every item on one page they would push it over the site's weight
    budget; they are one click away, beside the item."""
    kind_word = "figure" if item.kind == "figure" else "table"
    return (
        f'<details class="cite-this"><summary>Cite this {kind_word}</summary>'
        + citation_sections_html(item, metadata, FORMAT_TITLES[:2])
        + "</details>"
    )


def report_citation_html(metadata):
    """The home page's citation of the report: the plain text shown, every format a click away."""
    text = citation.cite_report("text", metadata)
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines()[:2])
    return (
        f'<blockquote class="report-citation">{lines}</blockquote>'
        '<details class="cite-this" id="report-cite"><summary>Cite this report: plain text, BibTeX, '
        "RIS, CSL-JSON</summary>" + citation_sections_html(None, metadata) + "</details>"
    )


class pending_item_citation(nodes.General, nodes.Element):
    """Where an item's citation goes once Sphinx has numbered the book."""


class ReportCitation(SphinxDirective):
    """``{report-citation}``: the whole report's citation, from metadata.yml."""

    def run(self):
        self.env.note_dependency(citation.METADATA_NAME)
        metadata = citation.load_metadata(Path(self.env.srcdir))
        return [nodes.raw("", report_citation_html(metadata), format="html")]


class ItemCitation(SphinxDirective):
    """``{item-citation} <label>``: one figure's or table's citation, filled in when numbered."""

    required_arguments = 1

    def run(self):
        return [pending_item_citation(label=self.arguments[0])]


def fill_item_citations(app, doctree, metadata, manifest):
    """Replace every ``{item-citation}`` placeholder with the numbered item's citation."""
    for node in list(doctree.findall(pending_item_citation)):
        label = node["label"]
        entry = manifest[label]
        docname = re.sub(r"\.(md|ipynb)$", "", entry["notebook"])
        number = number_of(app.env, docname, label, entry["kind"])
        if number is None:
            raise ValueError(f"{label} has no number: it is not shown in {docname}")
        item = citation.Item(label, entry["kind"], number, entry["caption"], docname)
        node.replace_self(nodes.raw("", catalogue_citation_html(item, metadata), format="html"))


def add_cite_blocks(app, doctree, docname):
    if app.builder.format != "html":
        for node in list(doctree.findall(pending_item_citation)):
            node.parent.remove(node)
        return
    manifest = figures_manifest(app)
    metadata = citation.load_metadata(Path(app.srcdir))
    fill_item_citations(app, doctree, metadata, manifest)

    # Links are relative to the page; the single-page book (make pdf) has every page at the root.
    prefix = "" if app.builder.name == "singlehtml" else "../" * docname.count("/")

    def pathto(target, resource=1):
        return prefix + target

    for node, label in list(labelled_items(doctree, manifest)):
        entry = manifest[label]
        number = number_of(app.env, docname, label, entry["kind"])
        if number is None:
            continue
        item = citation.Item(label, entry["kind"], number, entry["caption"], docname)
        block = nodes.raw("", cite_block_html(item, entry, metadata, pathto), format="html")
        node.parent.insert(node.parent.index(end_of_item(node)) + 1, block)


def copy_source_data(app, exception):
    """Put every figure's and table's files where the "Source data" links point."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_downloads" / "source-data"
    target.mkdir(parents=True, exist_ok=True)
    figures = Path(app.srcdir) / "figures"
    for entry in figures_manifest(app).values():
        for name in entry["files"]:
            if (figures / name).exists() and not name.endswith(".thumb.png"):
                (target / name).write_bytes((figures / name).read_bytes())


def highwire_tags(metadata, pagename, title):
    """Google Scholar meta tags for one page."""
    tags = [("citation_title", f"{title} — {metadata['short-title']}" if title else metadata["title"])]
    tags += [("citation_author", author["name"]) for author in metadata["authors"]]
    tags.append(("citation_publication_date", str(metadata["date-released"]).replace("-", "/")))
    tags.append(("citation_technical_report_institution", metadata["short-title"]))
    url = citation.page_url(metadata.get("url"), pagename)
    if url:
        tags.append(("citation_public_url", url))
    return "\n".join(f'<meta name="{name}" content="{html.escape(str(value))}" />' for name, value in tags)


def add_meta_tags(app, pagename, templatename, context, doctree):
    metadata = citation.load_metadata(Path(app.srcdir))
    title = re.sub(r"<[^>]+>", "", html.unescape(str(context.get("title", "")))).strip()
    context["metatags"] = context.get("metatags", "") + "\n" + highwire_tags(metadata, pagename, title)


def figures_manifest(app):
    """``figures/manifest.json`` as the pages are written (``make book`` starts Sphinx while the
    notebooks that write it still run)."""
    if not hasattr(app, "nhsreport_manifest"):
        app.nhsreport_manifest = provenance.read_manifest(Path(app.srcdir) / "figures", as_input=False)
    return app.nhsreport_manifest


def setup(app):
    app.add_node(pending_item_citation)
    app.add_directive("report-citation", ReportCitation)
    app.add_directive("item-citation", ItemCitation)
    app.connect("doctree-resolved", add_cite_blocks)
    app.connect("html-page-context", add_meta_tags)
    app.connect("build-finished", copy_source_data)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
