"""Sphinx extension: nothing stale is published. A page is read again when its source or an input
that reaches every page changed, judged by content, not by modification times; and files that an
older build wrote and this one would not are removed from the site.

Sphinx re-reads a page when its source is newer than the last read, so a page edited and then
given an old modification time (a checkout, a copy, a restored backup) keeps its old text, and
it knows nothing of the files our extensions read for every page: ``metadata.yml`` and
``CITATION.cff`` (the footer, the "Cite this" blocks and the meta tags), ``references.bib`` (the
citation tooltips), ``_config.yml``, ``_toc.yml``, ``_static/`` and the code of the extensions
themselves. So each page read is recorded under the sha256 of its source and of those inputs
(:func:`page_key`), and a page whose key differs is read again (``env-get-outdated``).

The site is built into the same folder every time, so a file that no build writes any more (the
zip of an older version, the source data of a renamed figure, the page of a removed chapter)
would stay and be published. At ``build-finished`` :func:`remove_stale_files` deletes them.
"""

import hashlib
import shutil
from pathlib import Path

from ..hashing import sha256_of

#: The project files whose content reaches every page (besides the page's own source).
SITE_INPUTS = ("metadata.yml", "CITATION.cff", "references.bib", "_config.yml", "_toc.yml")
#: Pages Sphinx writes that come from no source.
GENERATED_PAGES = {"genindex.html", "search.html", "py-modindex.html"}
#: Generated downloads named by version; only the current version's stay.
VERSIONED_DOWNLOADS = ("nhsreport-data-*.zip", "nhsreport-*.pdf")


def sha256_file(path):
    return sha256_of(path) if path.is_file() else "<missing>"


def extension_sources(package=None):
    """The project code that can decorate a page: every module but the chapters' analyses (which
    reach a page only through its notebook). A fixed list, not the modules loaded so far (which
    depend on what ran before). ``package``: another copy's folder."""
    package = Path(package or Path(__file__).resolve().parents[1])
    return sorted(p for p in package.rglob("*.py") if "analyses" not in p.relative_to(package).parts)


def site_inputs_digest(srcdir):
    """sha256 over every input that reaches every page, each named."""
    srcdir = Path(srcdir)
    files = [srcdir / name for name in SITE_INPUTS]
    static = srcdir / "_static"
    files += sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []
    files += extension_sources()
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path}\0{sha256_file(path)}\0".encode())
    return digest.hexdigest()


def page_key(env, docname, site_digest):
    """What a page's read depends on: its source's content and the inputs every page shares."""
    return hashlib.sha256(f"{sha256_file(Path(env.doc2path(docname)))}\0{site_digest}".encode()).hexdigest()


def recorded_keys(env):
    if not hasattr(env, "nhsreport_page_keys"):
        env.nhsreport_page_keys = {}
    return env.nhsreport_page_keys


def changed_pages(app, env, added, changed, removed):
    """The pages Sphinx's own check missed whose source or shared inputs changed in content."""
    site_digest = site_inputs_digest(app.srcdir)
    keys = recorded_keys(env)
    known = set(env.found_docs) - set(added) - set(changed) - set(removed)
    return sorted(name for name in known if keys.get(name) != page_key(env, name, site_digest))


def remember_pages_read(app, env, docnames):
    """Record the key of each page about to be read."""
    site_digest = site_inputs_digest(app.srcdir)
    keys = recorded_keys(env)
    for name in docnames:
        keys[name] = page_key(env, name, site_digest)


def merge_keys(app, env, docnames, other):
    recorded_keys(env).update({name: key for name, key in recorded_keys(other).items() if name in docnames})


# --- files no build writes any more ------------------------------------------------------------


def current_downloads(app):
    """Names of the versioned whole-book downloads this build links."""
    from . import build_record

    metadata = build_record.project_metadata(app.srcdir)
    return {name for name, _ in build_record.downloads(metadata)}


def stale_files(outdir, env, keep_downloads, source_data):
    """Files in the built site that this build did not make: pages and sources of removed pages,
    older versions' downloads, unused download folders and images, and source data of outputs no
    longer in the manifest."""
    outdir = Path(outdir)
    pages = {f"{name}.html" for name in env.found_docs} | GENERATED_PAGES
    stale = [
        p
        for p in outdir.rglob("*.html")
        if _inside_pages(p, outdir) and p.relative_to(outdir).as_posix() not in pages
    ]
    sources = outdir / "_sources"
    if sources.is_dir():
        stale += [
            p for p in sources.rglob("*") if p.is_file() and _source_doc(p, sources) not in env.found_docs
        ]
    for pattern in VERSIONED_DOWNLOADS:
        stale += [p for p in outdir.glob(pattern) if p.name not in keep_downloads]
    downloads = outdir / "_downloads"
    folders = {dest.split("/", 1)[0] for _, dest in env.dlfiles.values()} | {"source-data"}
    if downloads.is_dir():
        stale += [p for p in downloads.iterdir() if p.name not in folders]
        data = downloads / "source-data"
        if data.is_dir():
            stale += [p for p in data.iterdir() if p.name not in source_data]
    images = outdir / "_images"
    if images.is_dir():
        used = {unique_name for _, unique_name in env.images.values()}
        stale += [p for p in images.iterdir() if p.name not in used]
    return sorted(set(stale))


def _inside_pages(path, outdir):
    """A page, not a file under one of Sphinx's asset folders (``_static``, ``_downloads``...)."""
    return not path.relative_to(outdir).parts[0].startswith("_")


def _source_doc(path, sources):
    """``_sources/chapters/x.ipynb`` -> ``chapters/x`` (Sphinx may add ``.txt``)."""
    relative = path.relative_to(sources).as_posix()
    return relative.removesuffix(".txt").rsplit(".", 1)[0]


def source_data_names(app):
    from . import provenance

    manifest = provenance.read_manifest(Path(app.srcdir) / "figures", as_input=False)
    return {name for entry in manifest.values() for name in entry["files"] if not name.endswith(".thumb.png")}


def remove_stale_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for path in stale_files(app.outdir, app.env, current_downloads(app), source_data_names(app)):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def setup(app):
    app.connect("env-get-outdated", changed_pages)
    # Late, after any extension that changes the list of pages to read.
    app.connect("env-before-read-docs", remember_pages_read, priority=950)
    app.connect("env-merge-info", merge_keys)
    app.connect("build-finished", remove_stale_files, priority=900)  # after every file is written
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
