"""Sphinx extension: the role ``{whole-book-pdf}`link text``, a link from a page's text to the
whole-book PDF that ``make book`` puts into the site (:func:`nhsreport.pipeline.pdf.place_in`).
The file name comes from ``metadata.yml``'s version, checked as MAJOR.MINOR.PATCH; the link text
is the page's own, made a text node by docutils (never markup)."""

from docutils import nodes

from .build_record import pdf_name, project_metadata


def whole_book_pdf_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """A link to the PDF at the site's root, relative to the page it is on."""
    env = inliner.document.settings.env
    target = "../" * env.docname.count("/") + pdf_name(project_metadata(env.srcdir))
    return [nodes.reference(rawtext, text, refuri=target, classes=["whole-book-pdf"])], []


def setup(app):
    app.add_role("whole-book-pdf", whole_book_pdf_role)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
