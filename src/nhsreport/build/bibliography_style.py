"""Author-year labels in the bibliography list, to match the author-year citations in the text.

sphinxcontrib-bibtex formats the list with a pybtex style; the built-in ones label entries [1],
[2], ... or alpha codes. This registers a pybtex style ``authoryear``: entries sorted by author,
year and title, each labelled "Powell and Davies 2016" or "Bresnen et al. 2017" (a letter is added
when two entries would get the same label). Select it with ``bibtex_default_style: authoryear``.
"""

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import (
    field,
    first_of,
    join,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)


def _surname(person):
    return " ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")


def _names(entry):
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_surname(p) for p in persons]
    if not names:
        corporate = entry.fields.get("institution") or entry.fields.get("organization") or entry.key
        return corporate.replace("{", "").replace("}", "")
    if len(names) == 1:
        return names[0]
    if len(names) == 2 and names[1] != "others":
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class AuthorYearLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [f"{_names(e)} {e.fields.get('year', 'n.d.')}" for e in sorted_entries]
        seen = {}
        for label in labels:
            seen[label] = seen.get(label, 0) + 1
        suffix = {}
        for label in labels:
            if seen[label] > 1:
                suffix[label] = suffix.get(label, 0) + 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[suffix[label] - 1]
            else:
                yield label


class AuthorYearStyle(UnsrtStyle):
    default_label_style = "authoryear"
    default_sorting_style = "author_year_title"

    def get_article_template(self, e):
        """As pybtex's unsrt, but volume and issue are shown even when an article has no pages."""
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            optional[join[field("volume"), optional["(", field("number"), ")"]]],
            words["pages", pages],
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages], date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


def register():
    for group, name, plugin in (
        ("pybtex.style.labels", "authoryear", AuthorYearLabelStyle),
        ("pybtex.style.formatting", "authoryear", AuthorYearStyle),
    ):
        try:
            register_plugin(group, name, plugin)
        except Exception:  # already registered (the extension is set up once per process)
            pass


def setup(app):
    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
