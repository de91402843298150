"""Launch links (nhsreport.pipeline.launch_links): Binder and Codespaces on each chapter notebook's page
once metadata.yml names the repository, none while it is empty; only https URLs, quoted and escaped.

The repository URLs here are made up (example-org, git.example.org): no such repository exists.
"""

import re

import pytest
from projectcopy import run_book

from nhsreport.pipeline.launch_links import launch_links, links_html
from nhsreport.presentation.citation import MetadataError

MADE_UP = "https://github.com/example-org/nhs-report"
NOTEBOOK = "chapters/who_was_studied.ipynb"


def test_no_repository_gives_no_links():
    assert launch_links("", NOTEBOOK) == []


@pytest.mark.parametrize("url", [MADE_UP, MADE_UP + ".git", MADE_UP + "/"])
def test_a_github_repository_gives_binder_at_the_notebook_and_codespaces(url):
    assert launch_links(url, NOTEBOOK) == [
        (
            "Binder",
            "https://mybinder.org/v2/gh/example-org/nhs-report/HEAD?labpath=chapters%2Fwho_was_studied.ipynb",
        ),
        ("GitHub Codespaces", "https://codespaces.new/example-org/nhs-report?quickstart=1"),
    ]


def test_another_host_gives_binder_with_the_whole_url_quoted_and_escaped():
    hostile = 'https://git.example.org/team/report"><script>alert(1)</script>'
    [(text, url)] = launch_links(hostile, NOTEBOOK)
    assert text == "Binder" and url.startswith("https://mybinder.org/v2/git/https%3A%2F%2Fgit.example.org%2F")
    assert not re.search(r'[<>"\s]', url)
    markup = links_html([(text, url), ("<b>", 'https://x.example/"q"')])
    assert "<script" not in markup and "<b>" not in markup and '"q"' not in markup
    assert markup.count("<a ") == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://github.com/example-org/nhs-report",
        "javascript:alert(1)",
        "https://github.com/example-org",
        "https://github.com/example-org/nhs-report/tree/main",
        "https://user:secret@github.com/example-org/nhs-report",
        "https://github.com/example-org/nhs-report?tab=readme",
        "https://git.example.org/",
    ],
)
def test_anything_but_an_https_repository_url_is_refused_in_one_line(url):
    with pytest.raises(MetadataError) as refused:
        launch_links(url, NOTEBOOK)
    message = str(refused.value)
    assert message.startswith("metadata.yml: repository: ") and repr(url) in message and "\n" not in message


def launch_paragraphs(site):
    """{page: the launch-links paragraph} of every page of a built site that has one."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        match = re.search(r'<p class="launch-links">.*?</p>', page.read_text(encoding="utf-8"), re.S)
        if match:
            found[str(page.relative_to(site))] = match.group(0)
    return found


def test_the_book_without_a_repository_shows_no_launch_link(built_small_book):
    site = built_small_book / "_build" / "html"
    assert (site / "chapters" / "who_was_studied.html").exists()
    assert launch_paragraphs(site) == {}
    assert not any("mybinder.org" in page.read_text(encoding="utf-8") for page in site.rglob("*.html"))


def set_repository(root, url):
    metadata = root / "metadata.yml"
    text = metadata.read_text(encoding="utf-8")
    assert '\nrepository: ""\n' in text
    metadata.write_text(text.replace('\nrepository: ""\n', f'\nrepository: "{url}"\n'), encoding="utf-8")


def test_a_repository_url_puts_launch_links_on_every_chapter_notebook_page_only(small_book):
    set_repository(small_book, MADE_UP)
    run = run_book(small_book)
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    found = launch_paragraphs(small_book / "_build" / "html")
    notebooks = sorted(f"chapters/{p.stem}.html" for p in (small_book / "chapters").glob("*.ipynb"))
    assert sorted(found) == notebooks and "chapters/who_was_studied.html" in found
    paragraph = found["chapters/who_was_studied.html"]
    assert (
        'href="https://mybinder.org/v2/gh/example-org/nhs-report/HEAD?labpath=chapters%2Fwho_was_studied.ipynb"'
        in paragraph
    )
    assert 'href="https://codespaces.new/example-org/nhs-report?quickstart=1"' in paragraph


def test_an_http_repository_url_stops_the_build_naming_file_field_and_rule(small_book):
    """(The book's report also prints Sphinx's wrapper of the error, which repeats the line.)"""
    site_before = (small_book / "_build" / "html" / "chapters" / "who_was_studied.html").read_bytes()
    set_repository(small_book, "http://github.com/example-org/nhs-report")
    run = run_book(small_book)
    assert run.result.returncode != 0
    output = run.result.stdout + run.result.stderr
    line = (
        "MetadataError: metadata.yml: repository: launch links need an https:// URL of the repository, "
        "not 'http://github.com/example-org/nhs-report'"
    )
    assert any(printed.endswith(line) for printed in output.splitlines()), output[-3000:]
    assert "Nothing was published" in output
    assert (small_book / "_build" / "html" / "chapters" / "who_was_studied.html").read_bytes() == site_before
