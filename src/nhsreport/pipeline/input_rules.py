"""Rules for the inputs other than data that reach the pages: ``references.bib``, ``_config.yml``
and ``metadata.yml``, checked by :func:`check` at the start of ``make book``, before anything runs
(and again as every Sphinx build of the book starts, :mod:`nhsreport.pipeline.build_record`, so a
build started another way refuses them too). Each broken rule is one line naming the file, the
entry or key, the field and the rule.

What is refused, and why (every other text from these files is escaped wherever it is shown):

* a ``url`` in ``references.bib`` that is not an http, https or doi URL (:func:`link_target`):
  the bibliography links it, and a ``javascript:`` link runs script when clicked;
* ``<``, ``>`` or ``"`` in ``_config.yml``'s ``title``, ``author`` or ``copyright``: the book's
  theme writes them into every page as HTML, unescaped;
* a ``metadata.yml`` that :func:`nhsreport.presentation.citation.load_metadata` refuses (a missing
  key, a version that is not MAJOR.MINOR.PATCH, a URL that is not http(s), ...).
"""

import re
from pathlib import Path

import yaml

from .. import paths
from ..presentation import citation

BIBLIOGRAPHY = "references.bib"
CONFIG = "_config.yml"
# An absolute http(s) URL or a DOI, made of the characters metadata.yml's URLs may hold.
LINK = re.compile(rf"(?:https?://|(?P<doi>doi:)){citation.URL_CHARACTERS}", re.IGNORECASE)
LINK_RULE = "http, https or doi URL, with no space, quote, angle bracket, brace, backslash or backtick"
SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
THEME_HTML_KEYS = ("title", "author", "copyright")
HTML_SPECIAL = '<>"'


class InputErrors(Exception):
    """Every rule broken by references.bib, _config.yml or metadata.yml, one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} input rule(s) broken:\n{lines}")


def link_target(url):
    """Where a bibliography URL may link: the URL itself (http, https), ``https://doi.org/...``
    (doi), or None for anything else (``javascript:``, ``data:``, a relative path ...)."""
    match = LINK.fullmatch(str(url))
    if match is None:
        return None
    return "https://doi.org/" + match.string[match.end("doi") :] if match.group("doi") else match.string


def bibliography_problems(path):
    problems = []
    for key, entry in citation.bibliography(path).entries.items():
        url = entry.fields.get("url")
        if url is not None and link_target(url) is None:
            scheme = SCHEME.match(url)
            found = f" (scheme {scheme.group(1)!r})" if scheme else ""
            problems.append(f"{path.name}, entry '{key}', field 'url': rule '{LINK_RULE}' broken{found}")
    return problems


def config_problems(path):
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        f"{path.name}, key '{key}': rule 'plain text' broken: the theme writes it into every page "
        f"as HTML, so it may not hold {', '.join(HTML_SPECIAL)}"
        for key in THEME_HTML_KEYS
        if any(char in str(config.get(key) or "") for char in HTML_SPECIAL)
    ]


def metadata_problems(root):
    try:
        citation.load_metadata(root)
    except (citation.MetadataError, yaml.YAMLError) as error:
        message = " ".join(str(error).split())
        named = message.startswith(citation.METADATA_NAME)
        return [message if named else f"{citation.METADATA_NAME}: {message}"]
    return []


def problems(root=None):
    """Every rule broken by the inputs of the book at ``root`` (a file it lacks is not checked:
    the build names that itself)."""
    root = Path(root or paths.PROJECT_ROOT)
    found = []
    if (root / BIBLIOGRAPHY).exists():
        found += bibliography_problems(root / BIBLIOGRAPHY)
    if (root / CONFIG).exists():
        found += config_problems(root / CONFIG)
    if (root / citation.METADATA_NAME).exists():
        found += metadata_problems(root)
    return found


def check(root=None):
    """Raise :class:`InputErrors` naming every broken rule, before anything is drawn."""
    found = problems(root)
    if found:
        raise InputErrors(found)
