"""How this book was made: what the appendix tabulates, and a Sphinx extension for the build.

Two halves, kept apart on purpose:

* **At execution time** (deterministic, saved in the notebook): :func:`data_files_register`,
  :func:`packages_table` and :func:`outputs_table` describe the data files (sha256 recorded in
  ``datapackage.json`` and checked against the bytes), the installed versions of every package
  pinned in ``requirements.txt``, and which notebook produced each figure and table
  (``figures/manifest.json``). Nothing in them depends on the clock or on git.
* **At build time only** (never in a committed output): the Sphinx extension set up by
  :func:`setup` writes ``build-record.json`` next to the HTML with the git commit (or
  ``"unknown"`` outside a repository), whether the worktree had uncommitted changes, the data
  sha256s, the package versions and the manifest, and puts the commit into every page's HTML
  context (``build_commit``, ``build_dirty``) and footer. No wall-clock time is recorded.

The footer also names the report, its version and its licences (SPDX identifiers linked to the
licence texts), all read from ``metadata.yml``, and says plainly when there is no published URL.
It links the whole-book downloads, the data zip (written here) and the PDF (put into the site by
``make book``; :mod:`nhsreport.pipeline.whole_book_link` links it from a page's text).

Enable it in ``_config.yml``::

    sphinx:
      extra_extensions: ["nhsreport.pipeline.build_record"]
"""

import html
import json
import subprocess
from pathlib import Path

from sphinx.errors import ConfigError

from .. import paths
from ..environment import package_versions
from ..hashing import sha256_of
from ..presentation import citation
from . import datazip, input_rules, provenance

RECORD_NAME = "build-record.json"
UNKNOWN = "unknown"


# --- what the build records ---------------------------------------------------------------


def data_file_hashes(data_dir=None):
    """For each file listed in datapackage.json: recorded sha256, actual sha256 of its bytes."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    hashes = {}
    for resource in package["resources"]:
        path = data_dir / resource["path"]
        hashes[resource["path"]] = {
            "recorded": resource.get("hash", "").split(":", 1)[-1],
            "actual": sha256_of(path) if path.exists() else None,
        }
    return dict(sorted(hashes.items()))


# --- build time only: git state and the Sphinx extension -----------------------------------------


def git(arguments, cwd):
    """Output of a read-only git command, or None when git or the repository is unavailable."""
    try:
        result = subprocess.run(
            ["git", "--no-optional-locks", *arguments], cwd=cwd, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def git_state(folder):
    """(commit, dirty): ``("unknown", None)`` outside a git repository."""
    commit = git(["rev-parse", "HEAD"], folder)
    if commit is None or not commit.strip():
        return UNKNOWN, None
    status = git(["status", "--porcelain", "--untracked-files=no"], folder)
    return commit.strip(), (None if status is None else bool(status.strip()))


def build_record(root, commit, dirty):
    """Everything the build records: no wall-clock time, only content-derived facts."""
    root = Path(root)
    return {
        "commit": commit,
        "worktree_dirty": dirty,
        "data": data_file_hashes(root / "data"),
        "packages": package_versions(root / "requirements.txt"),
        "manifest": provenance.read_manifest(root / "figures", as_input=False),
    }


def identity_html(metadata):
    """The report's title, version, licences and canonical URL, for the footer (escaped)."""
    title, version, licences, url = citation.footer_parts(metadata)
    licence_links = ", ".join(
        f'{html.escape(scope)} <a href="{html.escape(link)}" rel="license">{html.escape(spdx)}</a>'
        for spdx, link, scope in licences
    )
    site = (
        f'<a href="{html.escape(url)}">{html.escape(url)}</a>' if url else html.escape(citation.NOT_PUBLISHED)
    )
    # the version with its date, as every citation gives them (no "last updated": one date)
    version_date = citation.version_line(metadata)
    return f"{html.escape(title)}, {html.escape(version_date)} · Licences: {licence_links} · Site: {site}"


def footer_html(commit, dirty, record_url, metadata=None):
    """The line shown in every page's footer (with the report's identity when metadata is given)."""
    short = commit[:12] if commit != UNKNOWN else UNKNOWN
    state = {True: " with uncommitted changes", False: "", None: ""}[dirty]
    build = f'Built from commit <code>{short}</code>{state} · <a href="{record_url}">build record</a>'
    return f"{identity_html(metadata)} · {build}" if metadata is not None else build


def project_metadata(srcdir):
    """metadata.yml of the book being built (the project's own when the source folder has none)."""
    root = Path(srcdir)
    return citation.load_metadata(root if (root / citation.METADATA_NAME).exists() else paths.PROJECT_ROOT)


def refuse_unsafe_inputs(app, config):
    """Every Sphinx build of the book refuses what ``make book`` refuses before it starts
    (:mod:`nhsreport.pipeline.input_rules`), however Sphinx was started."""
    try:
        input_rules.check(app.srcdir)
    except input_rules.InputErrors as error:
        raise ConfigError(str(error)) from None


def on_builder_inited(app):
    app.nhsreport_metadata = project_metadata(app.srcdir)


def build_state(app):
    """(commit, dirty) as the pages are written. Not as Sphinx starts: ``make book`` starts it
    while the notebooks still run, and they may yet change tracked files."""
    if not hasattr(app, "nhsreport_build"):
        app.nhsreport_build = git_state(app.srcdir)
    return app.nhsreport_build


def pdf_name(metadata):
    """The whole-book PDF's file name in the site (the version is MAJOR.MINOR.PATCH, checked)."""
    return f"nhsreport-{metadata['version']}.pdf"


def downloads(metadata):
    """(file name in the site, link text) of the whole-book downloads: the data package zip,
    written here when the HTML is built, and the PDF, which ``make book`` puts into the site
    before publishing it (:func:`nhsreport.pipeline.pdf.place_in`)."""
    return [
        (f"nhsreport-data-{metadata['version']}.zip", "data (zip)"),
        (pdf_name(metadata), "whole book (PDF)"),
    ]


def downloads_html(items, pathto):
    return " · ".join(
        f'<a href="{html.escape(pathto(name, 1))}">{html.escape(text)}</a>' for name, text in items
    )


def on_html_page_context(app, pagename, templatename, context, doctree):
    commit, dirty = build_state(app)
    metadata = getattr(app, "nhsreport_metadata", None) or project_metadata(app.srcdir)
    context["build_commit"] = commit
    context["build_dirty"] = dirty
    context["report_version"] = metadata["version"]
    record_url = context["pathto"](RECORD_NAME, 1) if "pathto" in context else RECORD_NAME
    footer = footer_html(commit, dirty, record_url, metadata)
    if "pathto" in context:
        footer += " · Download: " + downloads_html(downloads(metadata), context["pathto"])
    existing = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = f"{existing} {footer}".strip()


def on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    commit, dirty = build_state(app)
    record = build_record(app.srcdir, commit, dirty)
    text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (Path(app.outdir) / RECORD_NAME).write_text(text, encoding="utf-8")
    metadata = getattr(app, "nhsreport_metadata", None) or project_metadata(app.srcdir)
    data_zip, _ = downloads(metadata)[0]
    datazip.write(Path(app.outdir) / data_zip, data_dir=Path(app.srcdir) / "data")


def setup(app):
    app.connect("config-inited", refuse_unsafe_inputs)
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_html_page_context)
    app.connect("build-finished", on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
