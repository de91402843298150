"""How to cite the report, or one of its figures or tables: every text built from ``metadata.yml``.

``metadata.yml`` (at the project root) is the one place for the project's identity: title,
authors, version, release date, canonical site URL, repository URL and licences. The study the
report re-presents is named there by its citation keys in ``references.bib``, whose entries give
the titles, years, publishers and ISBN. From these two files this module writes:

* :func:`cite_item` / :func:`cite_report`: the one citation of one figure or table, or of the
  whole report, as plain text, BibTeX, RIS or CSL-JSON. The home page, the "Cite this" block
  beside each item and the "Figures and tables" page all show these texts and no others. Each
  names the report's makers (``authors`` in metadata.yml, never the study's authors), the item's
  number and title, the report's title, its version and its date (``date-released``: the one
  date of a version), the canonical URL with the item's anchor, and the underlying study, whose
  works follow as entries of their own. While the canonical URL is empty, each says so
  explicitly (:data:`NO_URL`): a relative path is never given as a URL. BibTeX uses only entry
  types and fields that pybtex's standard styles print (``@misc`` with ``howpublished``, ``note``
  and ``url``).
* :func:`cff` / :func:`cff_text`: the content of ``CITATION.cff`` (CFF 1.2.0).
* :func:`zenodo`: the content of ``.zenodo.json``.
* :func:`footer_parts` / :func:`version_line`: what the site footer says about the report (title,
  version and its date, licences).

``python -m nhsreport.pipeline.release_files`` writes ``CITATION.cff`` and ``.zenodo.json``.
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from docutils.nodes import make_id

from .. import paths
from ..data import reads

METADATA_NAME = "metadata.yml"
NOT_PUBLISHED = "not yet published; local build"
NO_URL = f"no published URL yet ({NOT_PUBLISHED})"
REQUIRED = ("title", "short-title", "version", "date-released", "authors", "url", "repository", "licenses")
LICENCE_URLS = {
    "MIT": "https://spdx.org/licenses/MIT.html",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/legalcode",
}
KINDS = {"figure": "Figure", "table": "Table"}
# An absolute http(s) URL with none of the characters a URL must percent-encode that could end an
# HTML attribute or a Markdown construct (space, quote, angle bracket, brace, backslash, backtick).
URL_CHARACTERS = r"[^\s\x00-\x1f\x7f<>\"`{}\\]+"
URL = r"https?://" + URL_CHARACTERS
# libyaml's safe loader where PyYAML was built with it: the same result, done in C rather than
# in Python (the site's build reads metadata.yml for every page)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class MetadataError(ValueError):
    """metadata.yml is missing a key or holds a value the generated files cannot use."""


# --- the metadata and the study ---------------------------------------------------------------


def load_metadata(root=None):
    """metadata.yml as a dict, checked: every required key, SPDX licences, http(s) URLs or empty."""
    root = Path(root or paths.PROJECT_ROOT)
    reads.record_read(METADATA_NAME)
    metadata = yaml.load((root / METADATA_NAME).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    if not isinstance(metadata, dict):
        raise MetadataError(f"{METADATA_NAME} is not a mapping of keys to values")
    missing = [key for key in REQUIRED if key not in metadata]
    if missing:
        raise MetadataError(f"{METADATA_NAME} lacks {', '.join(missing)}")
    if not re.fullmatch(r"\d+\.\d+\.\d+", str(metadata["version"])):
        raise MetadataError(f"version {metadata['version']!r} is not MAJOR.MINOR.PATCH")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(metadata["date-released"])):
        raise MetadataError(f"date-released {metadata['date-released']!r} is not YYYY-MM-DD")
    for key in ("url", "repository"):
        value = metadata[key] or ""
        if value and not re.fullmatch(URL, str(value)):
            raise MetadataError(f"{key} must be empty or an absolute http(s) URL, not {value!r}")
        metadata[key] = value
    for licence in metadata["licenses"].values():
        if licence not in LICENCE_URLS:
            raise MetadataError(f"licence {licence!r} is not one of {sorted(LICENCE_URLS)}")
    authors = metadata["authors"]
    if not isinstance(authors, list) or not authors or not all(_has_name(author) for author in authors):
        raise MetadataError("every author needs a name")
    metadata["version"] = str(metadata["version"])
    metadata["date-released"] = str(metadata["date-released"])
    return metadata


def _has_name(author):
    return isinstance(author, dict) and isinstance(author.get("name"), str) and author["name"].strip()


@lru_cache(maxsize=4)
def _metadata_cached(root):
    return load_metadata(root)


def metadata_or_default(metadata=None):
    return metadata if metadata is not None else _metadata_cached(str(paths.PROJECT_ROOT))


def study_references(metadata=None, bib_path=None):
    """The study's works, in metadata.yml's order, as plain dicts read from references.bib.

    Each dict has ``key``, ``type`` (the BibTeX entry type), ``title``, ``authors`` (a list of
    ``{"family": ..., "given": ...}``; ``et_al`` when the entry ends with "and others") and whichever
    of ``publisher``, ``address``, ``series``, ``journal``, ``volume``, ``number``, ``isbn``,
    ``doi``, ``month`` and ``year`` are recorded. A publisher
    given in metadata.yml (``study:`` entries of the form ``{key: ..., publisher: ...}``) fills in
    one that the BibTeX entry lacks.
    """
    metadata = metadata_or_default(metadata)
    bib = bibliography(bib_path)
    works = []
    for spec in metadata.get("study", []):
        spec = spec if isinstance(spec, dict) else {"key": spec}
        entry = bib.entries[spec["key"]]
        people = entry.persons.get("author", [])
        authors = [_person(person) for person in people if str(person) != "others"]
        work = {
            "key": spec["key"],
            "type": entry.type,
            "title": _plain(entry.fields["title"]),
            "authors": authors,
            "et_al": any(str(person) == "others" for person in people),
        }
        for field in STUDY_FIELDS:
            if field in entry.fields:
                work[field] = _plain(entry.fields[field])
        if "publisher" not in work and spec.get("publisher"):
            work["publisher"] = spec["publisher"]
        works.append(work)
    return works


STUDY_FIELDS = (
    "publisher",
    "address",
    "series",
    "journal",
    "volume",
    "number",
    "isbn",
    "doi",
    "month",
    "year",
)


def _person(person):
    """A pybtex person as ``{"family": ..., "given": ...}`` (given empty for a corporate name)."""
    family = _plain(" ".join(person.prelast_names + person.last_names))
    given = _plain(" ".join(person.first_names + person.middle_names))
    return {"family": family, "given": given}


def initials(given):
    """ "Mike" -> "M.", "M." -> "M.", "Jean-Louis" -> "J.-L."."""
    return " ".join(
        "-".join(part[0] + "." for part in word.split("-") if part)
        for word in given.replace(".", " ").split()
    )


def person_text(person):
    """ "Bresnen, M." (family name, initials), or the name alone when there is no given name."""
    return f"{person['family']}, {initials(person['given'])}" if person["given"] else person["family"]


def bibliography(bib_path=None):
    """references.bib parsed (a pybtex database; callers only read it). Parsed once per distinct
    text: the cache is keyed by the file's contents, so an edited file is always parsed afresh."""
    path = Path(bib_path or paths.PROJECT_ROOT / "references.bib")
    reads.record_read("references.bib")
    return _parsed_bibtex(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _parsed_bibtex(text):
    from pybtex.database import parse_string

    return parse_string(text, bib_format="bibtex")


def _plain(text):
    """A BibTeX field without its case-protecting braces."""
    return re.sub(r"\s+", " ", str(text).replace("{", "").replace("}", "")).strip()


def names(authors, et_al=False):
    """ "A", "A and B", "A, B and C" (with "et al." appended when the list is incomplete)."""
    if et_al:
        return f"{authors[0]} et al."
    return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]


MONTHS = ("January February March April May June July August September October November December").split()
#: BibTeX's month macros (what ``month = may`` means).
MONTH_MACROS = {name[:3].lower(): name for name in MONTHS}


def _month_name(month):
    """ "May" from a BibTeX month ("may", "May" or "5")."""
    month = str(month).strip()
    if month.isdigit():
        return MONTHS[int(month) - 1]
    return MONTH_MACROS.get(month[:3].lower(), month)


def study_sentence(work):
    """One study work in plain text: "Bresnen, M., Hodgson, D., ... (2017) Title. Routledge. ISBN ..."."""
    people = [person_text(person) for person in work["authors"]]
    text = f"{names(people, work['et_al'])} ({work['year']}) {work['title']}."
    if work.get("journal"):
        text += f" {work['journal']}"
        if work.get("volume"):
            text += f" {work['volume']}" + (f"({work['number']})" if work.get("number") else "")
        text += "."
    if work.get("publisher"):
        place = f"{work['address']}: " if work.get("address") else ""
        text += f" {place}{work['publisher']}."
    if work.get("isbn"):
        text += f" ISBN {work['isbn']}."
    if work.get("doi"):
        text += f" https://doi.org/{work['doi']}."
    return text


# --- the items: figures and tables --------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A numbered figure or table: ``Item("fig-x", "figure", "Figure 3.1", "Caption", "chapters/x")``."""

    label: str
    kind: str
    number: str
    title: str
    page: str

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, not {self.kind!r}")
        if not self.label or not self.number or not self.title:
            raise ValueError("an item needs a label, a number and a title")
        if self.page.startswith("/") or ".." in Path(self.page).parts or "://" in self.page:
            raise ValueError(f"page must be a page name inside the book, not {self.page!r}")

    @classmethod
    def from_manifest(cls, label, entry, number):
        """An item from its figures/manifest.json entry (which records kind, caption, notebook)."""
        return cls(label, entry["kind"], number, entry["caption"], entry["notebook"])

    @property
    def heading(self):
        return f"{self.number}: {self.title.rstrip('.')}"


def page_url(base_url, page, anchor=None):
    """The canonical URL of a page of the book (and an anchor in it), or None without a base URL."""
    if not base_url:
        return None
    page = re.sub(r"\.(md|ipynb|html)$", "", page)
    url = f"{base_url.rstrip('/')}/{page}.html"
    return f"{url}#{make_id(anchor)}" if anchor else url


def item_url(item, metadata=None):
    return page_url(metadata_or_default(metadata)["url"], item.page, item.label)


def report_url(metadata=None):
    url = metadata_or_default(metadata)["url"]
    return url or None


# --- the "Cite this" texts ----------------------------------------------------------------------

FORMATS = ("text", "bibtex", "ris", "csl-json")


def cite_item(item, fmt="text", metadata=None):
    """A "Cite this" block for one figure or table, in ``text``, ``bibtex``, ``ris`` or ``csl-json``."""
    return _cite(item, fmt, metadata_or_default(metadata))


def cite_report(fmt="text", metadata=None):
    """A "Cite this" block for the whole report, in the same formats as :func:`cite_item`."""
    return _cite(None, fmt, metadata_or_default(metadata))


def _cite(item, fmt, metadata):
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    study = study_references(metadata)
    url = item_url(item, metadata) if item else report_url(metadata)
    writer = {"text": _text, "bibtex": _bibtex, "ris": _ris, "csl-json": _csl_json}[fmt]
    return writer(item, metadata, study, url)


def _authors(metadata):
    """The report's makers, as metadata.yml names them (never the study's authors)."""
    return [author["name"] for author in metadata["authors"]]


def _year(metadata):
    return metadata["date-released"][:4]


def date_text(metadata=None):
    """The version's date, as a reader reads it: "22 November 2026"."""
    year, month, day = metadata_or_default(metadata)["date-released"].split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def version_line(metadata=None):
    """ "version 0.1.0, 22 November 2026": the version and its date, as every citation gives them."""
    metadata = metadata_or_default(metadata)
    return f"version {metadata['version']}, {date_text(metadata)}"


def _where(url):
    """The URL, or the explicit sentence that there is none yet."""
    return f"URL: {url}" if url else f"URL: {NO_URL}."


def _based_on(study):
    works = [study_sentence(work).rstrip(".") for work in study]
    return "Re-presents the study reported in " + "; and in ".join(works) + "."


def _study_note(study):
    """The short pointer to the study inside a citation record (its works follow as records)."""
    first = study[0]
    people = [person["family"] for person in first["authors"]]
    years = ", ".join(dict.fromkeys(work["year"] for work in study))
    return (
        f"Re-presents the study by {names(people, first['et_al'] or len(people) > 2)} ({years}); cite it too."
    )


def _report_phrase(metadata):
    return f"{metadata['title']}, {version_line(metadata)}"


def _text(item, metadata, study, url):
    who = names(_authors(metadata))
    if item:
        lines = [f"{who} ({_year(metadata)}). {item.heading}. In: {_report_phrase(metadata)}."]
    else:
        lines = [f"{who} ({_year(metadata)}). {_report_phrase(metadata)}."]
    lines.append(_where(url))
    lines.append(_based_on(study))
    return "\n".join(lines) + "\n"


def bibtex_escape(text):
    """Text for a BibTeX field: LaTeX specials escaped, braces replaced so they always balance."""
    replacements = {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
    return "".join(replacements.get(char, char) for char in " ".join(str(text).split()))


def _bibtex_entry(kind, key, fields):
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _bibtex_person(person):
    """A person for a BibTeX author list: "Family, Given", or a corporate name in braces."""
    if not person["given"]:
        return "{" + bibtex_escape(person["family"]) + "}"
    return f"{bibtex_escape(person['family'])}, {bibtex_escape(person['given'])}"


def _bibtex(item, metadata, study, url):
    # @misc with howpublished, note and url: the fields pybtex's standard styles (plain, unsrt)
    # print, so the report's title, version and date reach every formatted reference; "version"
    # is kept for biblatex, which prints it.
    authors = " and ".join(_bibtex_person({"family": name, "given": ""}) for name in _authors(metadata))
    year, month, _ = metadata["date-released"].split("-")
    # the styles print howpublished, then month and year: "..., version 0.1.0, November 2026."
    if item:
        key, title = f"nhsreport-{item.label}", item.heading
        howpublished = f"In: {metadata['title']}, version {metadata['version']}"
    else:
        key, title = "nhsreport", metadata["title"]
        howpublished = f"Version {metadata['version']}"
    note = ("" if url else f"{_where(url)} ") + _study_note(study)
    fields = [
        ("author", authors),
        ("title", "{" + bibtex_escape(title) + "}"),
        ("howpublished", bibtex_escape(howpublished)),
        ("year", year),
        ("month", MONTHS[int(month) - 1]),
        ("version", bibtex_escape(metadata["version"])),
        ("url", url or ""),
        ("note", bibtex_escape(note)),
    ]
    entries = [_bibtex_entry("misc", key, fields)]
    for work in study:
        people = [_bibtex_person(person) for person in work["authors"]]
        work_fields = [
            ("author", " and ".join(people + (["others"] if work["et_al"] else []))),
            ("title", "{" + bibtex_escape(work["title"]) + "}"),
        ]
        work_fields += [(field, bibtex_escape(work[field])) for field in STUDY_FIELDS if field in work]
        entries.append(_bibtex_entry(work["type"], work["key"], work_fields))
    return "\n".join(entries)


RIS_TYPES = {"figure": "FIGURE", "table": "GEN", None: "RPRT", "book": "BOOK", "article": "JOUR"}


def _ris_record(tags):
    lines = [f"{tag}  - {value}" for tag, value in tags if value]
    return "\n".join(lines + ["ER  - "]) + "\n"


def _ris(item, metadata, study, url):
    tags = [("TY", RIS_TYPES[item.kind if item else None])]
    tags += [("AU", name) for name in _authors(metadata)]
    if item:
        tags += [("TI", item.heading), ("T2", metadata["title"])]
    else:
        tags += [("TI", metadata["title"])]
    tags += [
        ("PY", _year(metadata)),
        ("DA", metadata["date-released"].replace("-", "/")),
        ("ET", f"version {metadata['version']}"),
        ("UR", url or ""),
        ("N1", "" if url else _where(url)),
        ("N1", _based_on(study)),
    ]
    records = [_ris_record(tags)]
    for work in study:
        work_tags = [("TY", RIS_TYPES.get(work["type"], "GEN"))]
        work_tags += [("AU", person_text(person)) for person in work["authors"]]
        work_tags += [("TI", work["title"]), ("PY", work.get("year", ""))]
        work_tags += [
            ("T2", work.get("journal") or work.get("series", "")),
            ("VL", work.get("volume", "")),
            ("IS", work.get("number", "")),
            ("PB", work.get("publisher", "")),
            ("CY", work.get("address", "")),
            ("SN", work.get("isbn", "")),
            ("DO", work.get("doi", "")),
        ]
        records.append(_ris_record(work_tags))
    return "".join(records)


CSL_TYPES = {
    "figure": "figure",
    "table": "document",
    None: "report",
    "book": "book",
    "article": "article-journal",
}


def _csl_person(person):
    return (
        {"family": person["family"], "given": person["given"]}
        if person["given"]
        else {"literal": person["family"]}
    )


def _csl_json(item, metadata, study, url):
    year, month, day = (int(part) for part in metadata["date-released"].split("-"))
    record = {
        "id": f"nhsreport-{item.label}" if item else "nhsreport",
        "type": CSL_TYPES[item.kind if item else None],
        "title": item.heading if item else metadata["title"],
        "author": [{"literal": name} for name in _authors(metadata)],
        "issued": {"date-parts": [[year, month, day]]},
        "version": metadata["version"],
    }
    if item:
        record["container-title"] = metadata["title"]
    if url:
        record["URL"] = url
    else:
        # APA prints "medium" as the bracketed description an unpublished work carries
        record["medium"] = NOT_PUBLISHED[0].upper() + NOT_PUBLISHED[1:]
    record["note"] = ("" if url else f"{_where(url)} ") + _study_note(study)
    records = [record]
    for work in study:
        csl = {
            "id": work["key"],
            "type": CSL_TYPES.get(work["type"], "document"),
            "title": work["title"],
            "author": [_csl_person(person) for person in work["authors"]],
            "issued": {"date-parts": [[int(work["year"])]]},
        }
        for field, name in (
            ("journal", "container-title"),
            ("series", "collection-title"),
            ("volume", "volume"),
            ("number", "issue"),
            ("publisher", "publisher"),
            ("address", "publisher-place"),
            ("isbn", "ISBN"),
            ("doi", "DOI"),
        ):
            if field in work:
                csl[name] = work[field]
        records.append(csl)
    return json.dumps(records, indent=1, ensure_ascii=False) + "\n"


# --- CITATION.cff and .zenodo.json ---------------------------------------------------------------

CFF_MESSAGE = (
    "If you use this report, its data or its figures, please cite it as below, together with the "
    "study it re-presents (the book and the NIHR report listed under references)."
)


def _cff_person(person):
    if not person["given"]:
        return {"name": person["family"]}
    return {"family-names": person["family"], "given-names": person["given"]}


def _cff_reference(work):
    reference = {
        "type": {"book": "book", "article": "report"}.get(work["type"], "generic"),
        "title": work["title"],
        "authors": [_cff_person(person) for person in work["authors"]],
    }
    if work.get("publisher"):
        reference["publisher"] = {"name": work["publisher"]} | (
            {"city": work["address"]} if work.get("address") else {}
        )
    if work.get("journal"):
        reference["journal"] = work["journal"]
    if work.get("series"):
        reference["collection-title"] = work["series"]
    reference["year"] = int(work["year"])
    if work.get("month"):
        reference["month"] = MONTHS.index(_month_name(work["month"])) + 1
    if work.get("volume"):
        reference["volume"] = int(work["volume"])
    if work.get("number"):
        reference["issue"] = str(work["number"])
    if work.get("isbn"):
        reference["isbn"] = work["isbn"]
    if work.get("doi"):
        reference["doi"] = work["doi"]
    return reference


def cff(metadata=None):
    """CITATION.cff as a dict: the report itself, with the study's works under ``references``."""
    metadata = metadata_or_default(metadata)
    data = {
        "cff-version": "1.2.0",
        "message": CFF_MESSAGE,
        "type": "software",
        "title": metadata["title"],
        "version": metadata["version"],
        "date-released": metadata["date-released"],
        "authors": [{"name": author["name"]} for author in metadata["authors"]],
        "license": list(dict.fromkeys(metadata["licenses"].values())),
    }
    if metadata.get("abstract"):
        data["abstract"] = metadata["abstract"].strip()
    if metadata["url"]:
        data["url"] = metadata["url"]
    if metadata["repository"]:
        data["repository-code"] = metadata["repository"]
    if metadata.get("keywords"):
        data["keywords"] = list(metadata["keywords"])
    data["references"] = [_cff_reference(work) for work in study_references(metadata)]
    return data


def cff_text(metadata=None):
    header = (
        "# Generated from metadata.yml and references.bib by `python -m nhsreport.pipeline.release_files write`;\n"
        "# edit those, not this file (tests/test_citation.py fails when it is stale).\n"
    )
    body = yaml.safe_dump(cff(metadata), sort_keys=False, allow_unicode=True, width=100)
    return header + body


def zenodo(metadata=None):
    """.zenodo.json (Zenodo's deposit metadata) for a GitHub release archive of the repository."""
    metadata = metadata_or_default(metadata)
    study = study_references(metadata)
    licences = metadata["licenses"]
    record = {
        "title": metadata["title"],
        "version": metadata["version"],
        "publication_date": metadata["date-released"],
        "upload_type": "software",
        "description": metadata.get("abstract", metadata["title"]).strip(),
        "creators": [{"name": author["name"]} for author in metadata["authors"]],
        "license": licences["code"].lower(),
        "access_right": "open",
        "keywords": list(metadata.get("keywords", [])),
        "notes": (
            f"Code: {licences['code']} (LICENSE). Data and text: {licences['data-and-text']} "
            "(LICENSE-DATA); the facts transcribed come from the cited works, whose text is not "
            "reproduced and whose copyright stays with their owners. "
            + (f"Site: {metadata['url']}" if metadata["url"] else f"Site: {NO_URL}.")
        ),
        "references": [study_sentence(work) for work in study],
    }
    return record


def zenodo_text(metadata=None):
    return json.dumps(zenodo(metadata), indent=2, ensure_ascii=False) + "\n"


# --- the site footer -----------------------------------------------------------------------------


def footer_parts(metadata=None):
    """(short title, version, [(SPDX id, licence URL, what it covers)], canonical URL or None).
    The footer gives the version with its date through :func:`version_line`."""
    metadata = metadata_or_default(metadata)
    licences = [
        (spdx, LICENCE_URLS[spdx], scope.replace("-", " ")) for scope, spdx in metadata["licenses"].items()
    ]
    return metadata["short-title"], metadata["version"], licences, report_url(metadata)
