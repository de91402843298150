"""The book's contents: its parts and chapters in reading order, from ``_toc.yml``."""

import yaml

from . import paths
from .data.reads import record_read


def toc_parts():
    """(caption, [document, ...]) for each part of ``_toc.yml``, in book order."""
    toc = paths.PROJECT_ROOT / "_toc.yml"
    record_read("_toc.yml")  # the order of the book is an input of whatever lists its chapters
    parts = yaml.safe_load(toc.read_text(encoding="utf-8")).get("parts", []) if toc.exists() else []
    return [(part.get("caption", ""), [c["file"] for c in part.get("chapters", [])]) for part in parts]


def chapter_sources():
    """The chapters' text sources (``chapters/*.md``), in book order."""
    order = {document: i for i, document in enumerate(d for _, ds in toc_parts() for d in ds)}
    found = sorted(paths.CHAPTERS_DIR.glob("*.md"))
    return sorted(found, key=lambda n: (order.get(f"chapters/{n.stem}", len(order)), n.stem))
