"""Author-year labels in the bibliography list, to match the author-year citations in the text.

sphinxcontrib-bibtex formats the list with a pybtex style; the built-in ones label entries [1],
[2], ... or alpha codes. This registers a pybtex style ``authoryear``: entries sorted by author,
year and title, each labelled "Powell and Davies 2016" or "Bresnen et al. 2017" (a letter is added
when two entries would get the same label). Select it with ``bibtex_default_style: authoryear``.

* A corporate author (``{British Medical Association}``) sorts by its name: pybtex's sorting keeps
  the braces that mark it, and "{" sorts after every letter.
* A report (``@techreport``) without a ``type`` prints as "Report", by its institution; the
  institution is not repeated when it is also the author. pybtex's default, "Technical Report",
  is a kind of document none of the cited organisations published.
* The in-text citation (``author_year_etal``) gives the letter of the list's label with the year
  ("Dickinson et al. [2013a]"), so two works of the same authors and year stay apart.
"""

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.plugin import register_plugin
from pybtex.richtext import Tag, Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSortingStyle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    href,
    join,
    node,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)
from sphinxcontrib.bibtex import plugin as sphinx_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import GroupReferenceStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join as sphinx_join
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference
from sphinxcontrib.bibtex.style.template import names as sphinx_names

from .input_rules import link_target


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


def _unbraced(text):
    return text.replace("{", "").replace("}", "")


class CorporateAuthorSortingStyle(AuthorYearTitleSortingStyle):
    """pybtex's author-year-title order, with the braces of a corporate name ignored."""

    def sorting_key(self, entry):
        return tuple(_unbraced(part) for part in super().sorting_key(entry))


class AuthorYearStyle(UnsrtStyle):
    default_label_style = "authoryear"
    default_sorting_style = "authoryear"

    def get_techreport_template(self, e):
        """As pybtex's unsrt, but a report is a "Report" unless its ``type`` says otherwise, and
        an institution that is also the author is not named twice."""
        authors = [_unbraced(str(person)) for person in e.persons.get("author", [])]
        by_itself = authors == [_unbraced(e.fields.get("institution", ""))]
        publication = [words[first_of[optional_field("type"), "Report"], optional_field("number")]]
        publication += [] if by_itself else [field("institution")]
        publication += [optional_field("address"), date]
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[tuple(publication)],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_url(self, e):
        """As pybtex's unsrt, but only an http, https or doi URL becomes a link (a doi to
        https://doi.org/); any other (refused before the build, :mod:`nhsreport.pipeline.input_rules`)
        would be shown as text, never as a ``javascript:`` link."""
        url = field("url", raw=True)
        target = link_target(e.fields["url"]) if "url" in e.fields else None
        return words["URL:", href(target)[url] if target else url]

    def get_article_template(self, e):
        """As pybtex's unsrt, but volume and issue are shown even when an article has no pages,
        and a publisher (with its place) is named when the entry gives one."""
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            optional[join[field("volume"), optional["(", field("number"), ")"]]],
            words["pages", pages],
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages], date],
            optional[sentence[join(sep=": ")[optional_field("address"), field("publisher")]]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


# --- in-text citations: "and others" in an author list reads "et al." -------------------------
# BibTeX writes an unknown rest of an author list as "and others"; the stock author-year citation
# prints it as a name ("Bresnen and others"). This citation style prints "Bresnen et al." instead.


@node
def names_with_others(children, data, role, **kwargs):
    if role not in data["entry"].persons:
        raise FieldIsMissing(role, data["entry"])
    persons = data["entry"].persons[role]
    if len(persons) > 1 and str(persons[-1]).strip().lower() == "others":
        style = data["style"]
        first = style.person.style_plugin.format(persons[0], style.person.abbreviate).format_data(data)
        return Text(first, " ", Tag("em", "et al."))
    return sphinx_names(role=role, **kwargs).format_data(data)


@node
def author_or_editor_or_title_with_others(children, data, **kwargs):
    return first_of[
        optional[names_with_others("author", **kwargs)],
        optional[names_with_others("editor", **kwargs)],
        tag("em")[field("title")],
    ].format_data(data)


@dataclass
class EtAlPersonStyle(PersonStyle):
    def separators(self, full):
        return {
            "sep": self.sep,
            "sep2": self.sep2,
            "last_sep": self.last_sep,
            "other": None if full else self.other,
        }

    def names(self, role, full):
        return names_with_others(role=role, **self.separators(full))

    def author_or_editor_or_title(self, full):
        return author_or_editor_or_title_with_others(**self.separators(full))


@node
def labelled_year(children, data):
    """The year as the bibliography list labels it: "2013a" when the label adds a letter."""
    year = data["entry"].fields.get("year", "n.d.")
    label = data["formatted_entry"].label
    letter = re.fullmatch(rf".*\b{re.escape(year)}([a-z])", label)
    return Text(year + (letter.group(1) if letter else ""))


@dataclass
class LabelledYearParentheticalStyle(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[
                sphinx_join(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name),
                    labelled_year,
                ]
            ],
            post_text,
        ]


@dataclass
class LabelledYearTextualStyle(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name):
        return sphinx_join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            sphinx_join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                    pre_text,
                    reference[labelled_year],
                    post_text,
                ],
                self.bracket.right,
            ],
        ]


@dataclass
class LabelledYearOnlyStyle(ExtraYearReferenceStyle):
    def inner(self, role_name):
        return reference[labelled_year]


@dataclass
class AuthorYearEtAlReferenceStyle(AuthorYearReferenceStyle):
    person: PersonStyle = dataclass_field(default_factory=EtAlPersonStyle)

    def __post_init__(self):
        # sphinxcontrib-bibtex's author-year group, with the labelled year in place of the year
        self.styles.extend(
            [
                LabelledYearParentheticalStyle(
                    bracket=self.bracket_parenthetical,
                    person=self.person,
                    author_year_sep=self.author_year_sep,
                    pre_text_sep=self.pre_text_sep,
                    post_text_sep=self.post_text_sep,
                ),
                LabelledYearTextualStyle(
                    bracket=self.bracket_textual,
                    person=self.person,
                    text_reference_sep=self.text_reference_sep,
                    pre_text_sep=self.pre_text_sep,
                    post_text_sep=self.post_text_sep,
                ),
                ExtraAuthorReferenceStyle(bracket=self.bracket_author, person=self.person),
                ExtraLabelReferenceStyle(bracket=self.bracket_label),
                LabelledYearOnlyStyle(bracket=self.bracket_year),
                ExtraEmptyReferenceStyle(),
            ]
        )
        GroupReferenceStyle.__post_init__(self)


def register():
    for group, name, plugin in (
        ("pybtex.style.labels", "authoryear", AuthorYearLabelStyle),
        ("pybtex.style.formatting", "authoryear", AuthorYearStyle),
        ("pybtex.style.sorting", "authoryear", CorporateAuthorSortingStyle),
    ):
        try:
            register_plugin(group, name, plugin)
        except Exception:  # already registered (the extension is set up once per process)
            pass
    # sphinxcontrib-bibtex looks this backend up for every citation it resolves, and pybtex
    # finds an installed plugin by scanning every distribution's entry points each time, which
    # adds up over a build's citations. The same class, registered at run time, is found at once.
    register_plugin("pybtex.backends", "plaintext", PlaintextBackend, force=True)


def setup(app):
    register()
    sphinx_bibtex_plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_etal", AuthorYearEtAlReferenceStyle
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
