"""Sphinx extension: "Run this chapter" links on every chapter notebook's page, to Binder and
GitHub Codespaces, when ``metadata.yml`` names the repository (none while ``repository`` is empty).

Binder builds from ``binder/`` (the same lock as ``make``: ``binder/requirements.txt`` is a copy
of requirements.txt) and opens the chapter's notebook; Codespaces opens the repository in the
devcontainer (``.devcontainer/devcontainer.json``). The URL in ``metadata.yml`` is untrusted: only
``https://`` with a host and a path is accepted, and every part of it is URL-quoted and HTML-escaped
in the links; anything else stops the build with one line naming the file, the field and the rule.
Jupyter Book's own launch buttons are not used: they cannot offer Codespaces, and they read the
repository from ``_config.yml`` rather than from ``metadata.yml``.
"""

import html
import re
from urllib.parse import quote, urlencode, urlsplit

from docutils import nodes

from ..presentation.citation import METADATA_NAME, MetadataError
from .build_record import project_metadata

BINDER = "https://mybinder.org/v2"
CODESPACES = "https://codespaces.new"
GITHUB_REPOSITORY = re.compile(r"/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?")
CONFIG = "nhsreport_launch_repository"


def refuse(repository, rule):
    raise MetadataError(f"{METADATA_NAME}: repository: {rule}, not {repository!r}")


def launch_links(repository, notebook):
    """(text, URL) of each launch link for ``notebook`` (a path in the repository); none while
    ``repository`` is empty."""
    if not repository:
        return []
    parts = urlsplit(repository)
    if parts.scheme != "https" or not parts.hostname or parts.path in ("", "/"):
        refuse(repository, "launch links need an https:// URL of the repository")
    if parts.username or parts.password or parts.query or parts.fragment:
        refuse(repository, "launch links need a repository URL without user, query or fragment")
    opens = urlencode({"labpath": notebook})
    if parts.netloc == "github.com":
        match = GITHUB_REPOSITORY.fullmatch(parts.path)
        if not match:
            refuse(repository, "a GitHub repository URL is https://github.com/OWNER/REPOSITORY")
        owner, name = match.groups()
        return [
            ("Binder", f"{BINDER}/gh/{owner}/{name}/HEAD?{opens}"),
            ("GitHub Codespaces", f"{CODESPACES}/{owner}/{name}?quickstart=1"),
        ]
    # Any other git host: Binder's generic git provider (Codespaces opens GitHub repositories only).
    return [("Binder", f"{BINDER}/git/{quote(repository, safe='')}/HEAD?{opens}")]


def links_html(links):
    anchors = " · ".join(f'<a href="{html.escape(url)}">{html.escape(text)}</a>' for text, url in links)
    return f'<p class="launch-links">Run this chapter: {anchors}</p>'


def chapter_notebook(app, docname):
    """The notebook's path in the repository if ``docname`` is a chapter notebook, else None."""
    source = app.env.doc2path(docname, base=False)
    path = str(source).replace("\\", "/")
    return path if path.startswith("chapters/") and path.endswith(".ipynb") else None


def on_config_inited(app, config):
    # A config value of its own, so Sphinx rewrites every page when the repository changes.
    repository = project_metadata(app.srcdir)["repository"]
    launch_links(repository, "chapters/check.ipynb")  # a bad URL stops the build before any page
    config[CONFIG] = repository


def on_doctree_resolved(app, doctree, docname):
    notebook = chapter_notebook(app, docname) if app.builder.name == "html" else None
    links = launch_links(app.config[CONFIG], notebook) if notebook else []
    section = doctree.next_node(nodes.section)
    if links and section is not None:
        section.insert(1, nodes.raw("", links_html(links), format="html"))  # under the chapter title


def setup(app):
    app.add_config_value(CONFIG, "", "html")
    app.connect("config-inited", on_config_inited)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
