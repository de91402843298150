"""The published HTML book, as a reader meets it in a real browser (Debian's Chromium driven by
Playwright). Locally without Chromium these tests skip; in CI (CI=true) they must run."""

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import axe_playwright_python
import pytest
from bs4 import BeautifulSoup

from nhsreport import paths
from nhsreport.pipeline.book import MAX_PAGE_BYTES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# axe-core as shipped inside the pinned axe-playwright-python wheel (installed by `make test`).
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# `make screenshots` keeps a picture of every page at desktop and phone width, for reviewers.
SCREENSHOTS = paths.PROJECT_ROOT / "screenshots" if os.environ.get("SCREENSHOTS") == "1" else None
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(condition, reason):
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run the browser tests: .ci/run installs it)")
        pytest.skip(f"{reason}; install it (see .ci/run) to run the browser tests")


@pytest.fixture(scope="module")
def site(built_project):
    """The site `make book` published from a copy of the project built from scratch, served."""
    html = built_project / "_build" / "html"
    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    require(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def toc_pages():
    lines = (paths.PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8").splitlines()
    files = ["index"] + [l.split("file:", 1)[1].strip() for l in lines if "file:" in l]
    return [f"{name}.html" for name in files]


class PageVisit:
    """One page loaded with every request watched: nothing may leave localhost."""

    def __init__(self, context, url):
        self.page = context.new_page()
        self.console_errors, self.failed, self.outside, self.loaded = [], [], [], set()
        host = urlparse(url).netloc
        self.page.route("**/*", lambda route: self._route(route, host))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        # Uncaught exceptions (e.g. a script redeclaring a const) are not console messages.
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        self.page.on("requestfailed", lambda r: r.url not in self.outside and self.failed.append(r.url))
        self.page.on("response", self._response)
        self.page.goto(url, wait_until="commit")  # the page goes on loading: see settled()

    def settled(self):
        """Wait until the page has loaded and its network has been quiet for half a second."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_load_state("networkidle")
        return self

    def _route(self, route, host):
        if urlparse(route.request.url).netloc == host or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")
        else:
            self.loaded.add(urlparse(response.url).path)

    def weight(self, html):
        """Bytes of the page and every asset it loaded, measured on disk (the server sends files)."""
        files = [html / (path.lstrip("/") or "index.html") for path in self.loaded]
        return sum(f.stat().st_size for f in files if f.is_file())


def every_page_visited(site, browser, viewport, prefix):
    """Every page of the book loaded once at one viewport (and photographed if asked), then
    closed when the module's tests are done (a generator for the fixtures below)."""
    base, _ = site
    # Every page starts loading before the first is waited for: the browser loads them side by side.
    # One context per width, as one reader's browser: its pages share a renderer, which loads
    # the book three times faster than a context per page (5 s against 14 s, 2026-12-03).
    context = browser.new_context(viewport=viewport or DESKTOP)
    started = {page: PageVisit(context, urljoin(base, page)) for page in toc_pages()}
    result = {}
    for page, visit in started.items():
        visit.settled()
        if SCREENSHOTS:
            SCREENSHOTS.mkdir(exist_ok=True)
            visit.page.screenshot(
                path=str(SCREENSHOTS / f"{prefix}{page.replace('/', '__')}.png"), full_page=True
            )
        result[page] = visit
    yield result
    context.close()


@pytest.fixture(scope="module")
def visits(site, browser):
    """Every page at desktop width."""
    yield from every_page_visited(site, browser, None, "")


@pytest.fixture(scope="module")
def phone_visits(site, browser):
    """Every page at phone width."""
    yield from every_page_visited(site, browser, PHONE, "phone__")


SPLIT_WORDS_IN_TABLES = r"""() => {
    const split = [];
    for (const cell of document.querySelectorAll('.bd-article table td, .bd-article table th')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            // A word ends at a space or at a zero-width space (the break after "management/").
            for (const m of node.data.matchAll(/[^\s\u200b]+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                     .map(r => Math.round(r.top)));
                if (tops.size > 1) split.push(m[0]);
            }
        }
    }
    return split;
}"""


def test_no_word_or_number_in_a_table_is_split_across_lines(visits, phone_visits):
    split = {}
    for width, pages in (("desktop", visits), ("phone", phone_visits)):
        for page, visit in pages.items():
            words = visit.page.evaluate(SPLIT_WORDS_IN_TABLES)
            if words:
                split[f"{width} {page}"] = words[:5]
    assert split == {}


def test_every_page_loads_without_console_errors_or_failed_requests(visits):
    for page, visit in visits.items():
        assert visit.console_errors == [], f"{page}: {visit.console_errors}"
        assert visit.failed == [], f"{page}: {visit.failed}"


def test_the_site_makes_no_request_outside_localhost(visits):
    outside = {page: visit.outside for page, visit in visits.items() if visit.outside}
    assert outside == {}


def test_every_image_loads(visits):
    for page, visit in visits.items():
        broken = visit.page.evaluate(
            "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert broken == [], f"{page}: {broken}"


def test_every_figure_has_alt_text(visits):
    for page, visit in visits.items():
        missing = visit.page.evaluate(
            "[...document.querySelectorAll('figure img, img')].filter(i => !i.alt || !i.alt.trim())"
            ".map(i => i.src)"
        )
        assert missing == [], f"{page}: images without alt text: {missing}"


def html_files(html):
    return {
        str(p.relative_to(html)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in html.rglob("*.html")
    }


def test_every_internal_link_and_anchor_resolves(site):
    _, html = site
    soups = html_files(html)
    problems = []
    for name, soup in soups.items():
        if name.startswith("_"):
            continue
        for link in soup.find_all("a", href=True):
            target = urlparse(urljoin("http://book/" + name, link["href"]))
            if target.netloc != "book" or target.path.startswith("/_downloads"):
                if target.path.startswith("/_downloads") and not (html / target.path.lstrip("/")).exists():
                    problems.append(f"{name}: missing download {link['href']}")
                continue
            page = target.path.lstrip("/") or "index.html"
            if page not in soups and not (html / page).exists():
                problems.append(f"{name}: {link['href']} (no such page)")
            elif target.fragment and page in soups and not soups[page].find(id=target.fragment):
                problems.append(f"{name}: {link['href']} (no such anchor)")
    assert problems == []


def test_each_numbered_reference_leads_to_the_item_with_that_number(site):
    _, html = site
    soups = html_files(html)
    checked = 0
    for name, soup in soups.items():
        for ref in soup.select("a.reference.internal span.std-numref"):
            link = ref.find_parent("a")
            target = urlparse(urljoin("http://book/" + name, link["href"]))
            soup_of_target = soups[target.path.lstrip("/")]
            element = soup_of_target.find(id=target.fragment)
            # A table's caption stands above its scrolling box and names it (aria-labelledby).
            named_by = element.get("aria-labelledby")
            caption = soup_of_target.find(id=named_by) if named_by else element
            number = caption.select_one(".caption-number")
            assert number is not None, f"{name}: {link['href']} has no numbered caption"
            assert number.get_text().strip().rstrip(".") == ref.get_text().strip().rstrip("."), (
                f"{name}: '{ref.get_text()}' leads to '{number.get_text()}'"
            )
            checked += 1
    assert checked > 0


def pages_indexed_under(html, word):
    """The pages the site's search index lists for a word (in its text or a title), stemmed as
    Sphinx stems it when it writes the index: what a search for the word must show, page by page."""
    from sphinx.search.en import SearchEnglish

    text = (html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    stem = SearchEnglish({}).stem(word.lower())
    found = set()
    for table in ("terms", "titleterms"):
        documents = index[table].get(stem, [])
        found.update([documents] if isinstance(documents, int) else documents)
    return {index["docnames"][d] + ".html" for d in found}


SEARCH_FINISHED = "() => /Search finished/.test(document.querySelector('.search-summary')?.textContent || '')"


def test_search_shows_exactly_the_pages_the_index_lists_for_a_term(site, browser):
    base, html = site
    expected = pages_indexed_under(html, "participation")
    assert "chapters/who_was_studied.html" in expected  # the chapter that reports participation
    context = browser.new_context(viewport=DESKTOP)
    visit = PageVisit(context, urljoin(base, "search.html?q=participation")).settled()
    visit.page.wait_for_function(SEARCH_FINISHED, timeout=15000)  # every result is listed by then
    links = visit.page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.href)")
    shown = [urlparse(link).path.removeprefix(urlparse(base).path) for link in links]
    summary = visit.page.locator(".search-summary").inner_text()
    context.close()
    assert sorted(set(shown)) == sorted(expected)
    assert f"found {len(links)} page" in summary, summary


def test_the_accessibility_audit_finds_no_serious_or_critical_violations(visits):
    require(AXE.exists(), f"axe-core not found at {AXE} (make test installs requirements-nodeps.txt)")
    for visit in visits.values():  # start every page's audit, then collect: they run side by side
        visit.page.add_script_tag(path=str(AXE))
        visit.page.evaluate("() => { window.audit = axe.run(document, {resultTypes: ['violations']}); }")
    problems = {}
    for page, visit in visits.items():
        result = visit.page.evaluate("async () => await window.audit")
        serious = [
            f"{v['id']} ({len(v['nodes'])}): {v['help']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[page] = serious
    assert problems == {}, json.dumps(problems, indent=1)


def test_pages_do_not_overflow_a_phone_screen(phone_visits):
    overflowing = {}
    for page, visit in phone_visits.items():
        wide = visit.page.evaluate("""() => {
            const inScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
                return false; };
            return [...document.querySelectorAll('body *')].filter(el => {
                const r = el.getBoundingClientRect();
                return r.width > 0 && r.right > window.innerWidth + 1 && !inScroller(el)
                       && getComputedStyle(el).visibility !== 'hidden';
            }).slice(0, 5).map(el => el.tagName + '.' + el.className);
        }""")
        scroll = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide or scroll > 1:
            overflowing[page] = {"elements": wide, "extra_width": scroll}
    assert overflowing == {}


def test_page_weight_is_reported_and_the_heaviest_page_is_under_1_mb(site, visits, capsys):
    _, html = site
    weights = sorted(((visit.weight(html), page) for page, visit in visits.items()), reverse=True)
    with capsys.disabled():
        print("\npage weight (HTML and every asset it loaded):")
        for size, page in weights:
            print(f"  {size / 1024:8.0f} KiB  {page}")
    assert weights[0][0] < MAX_PAGE_BYTES, f"{weights[0][1]} weighs {weights[0][0]} bytes"


FIGURES_ON_PAGE = r"""() => [...document.querySelectorAll('figure[id^="fig-"] img')].map(img => ({
    label: img.closest('figure').id, file: img.src.split('/').pop().replace(/\.svg$/, ''),
    shown: img.getBoundingClientRect().width, natural: img.naturalWidth}))"""


def test_every_figure_s_smallest_text_renders_at_9_px_or_more_on_a_desktop(visits):
    """The manifest records each figure's smallest text for a figure drawn at its natural size,
    shrunk only to fit the text column; here the browser says how large it is really drawn."""
    from nhsreport.presentation.legibility import COLUMN_PX, MINIMUM_PX

    manifest = json.loads((paths.FIGURES_DIR / "manifest.json").read_text(encoding="utf-8"))
    too_small, seen = {}, set()
    for page, visit in visits.items():
        for figure in visit.page.evaluate(FIGURES_ON_PAGE):
            assumed_scale = min(1.0, COLUMN_PX / figure["natural"])
            actual_scale = figure["shown"] / figure["natural"]
            # A figure shown again elsewhere (the landing page) is known by its file name.
            label = figure["label"] if figure["label"] in manifest else figure["file"]
            on_page = manifest[label]["smallest_text_px"] * actual_scale / assumed_scale
            seen.add(label)
            if on_page < MINIMUM_PX:
                too_small[f"{page}#{figure['label']}"] = round(on_page, 2)
    assert seen, "no figure found on any page"
    assert too_small == {}


INSERTED_VALUES = r"""() => [...document.querySelectorAll('.bd-article span.pasted-text')].filter(span =>
    getComputedStyle(span).fontWeight !== getComputedStyle(span.parentElement).fontWeight
    && !span.closest('strong, b, th')).map(span => span.textContent).slice(0, 5)"""


def found_on(visits, script):
    """{page: what ``script`` returned there} for every visited page where it found something."""
    return {page: found for page, visit in visits.items() if (found := visit.page.evaluate(script))}


def test_inserted_values_look_like_the_text_around_them(visits):
    assert found_on(visits, INSERTED_VALUES) == {}


def test_no_csv_download_contains_myst_syntax():
    markup = re.compile(r"\{[a-z:]+\}`|`\{|\]\(")
    offending = [
        p.name for p in paths.FIGURES_DIR.glob("*.csv") if markup.search(p.read_text(encoding="utf-8"))
    ]
    assert offending == []


# --- tables that fit, nothing numbered hidden, furniture ------------------------------------------

TABLE_WIDTHS = r"""() => [...document.querySelectorAll('.bd-article table')].map(table => {
    const box = table.closest('.pst-scrollable-table-container') || table.parentElement;
    const style = getComputedStyle(box);
    const column = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {table: table.id || table.className, width: table.getBoundingClientRect().width, column};
})"""


def test_every_table_fits_the_text_column_on_a_desktop(visits):
    too_wide, seen = {}, 0
    for page, visit in visits.items():
        for table in visit.page.evaluate(TABLE_WIDTHS):
            seen += 1
            if table["width"] > table["column"] + 1:
                too_wide[f"{page}#{table['table']}"] = f"{table['width']:.0f} px in {table['column']:.0f} px"
    assert seen > 0, "no table found on any page"
    assert too_wide == {}


CAPTIONS_ON_A_PHONE = r"""() => [...document.querySelectorAll('.bd-article table')].map(table => {
    const caption = table.querySelector('caption') || document.getElementById(table.getAttribute('aria-labelledby'));
    if (!caption) return {table: table.id, problem: 'no caption'};
    const scrolls = el => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
    for (let box = caption.parentElement; box && box !== document.body; box = box.parentElement) {
        if (scrolls(box)) return {table: table.id, problem: 'caption inside a scrolling box: ' + box.className};
    }
    const r = caption.getBoundingClientRect();
    if (r.left < 0 || r.right > window.innerWidth + 1) return {table: table.id, problem: `caption spans ${r.left}-${r.right} px`};
    if (caption.scrollWidth > caption.clientWidth + 1) return {table: table.id, problem: 'caption text cut'};
    return null;
}).filter(Boolean)"""


def test_every_table_caption_stays_outside_its_scrolling_box_and_whole_on_a_phone(phone_visits):
    assert found_on(phone_visits, CAPTIONS_ON_A_PHONE) == {}


HIDDEN_NUMBERED_CAPTIONS = r"""() => [...document.querySelectorAll('.bd-article .caption-number')]
    .filter(number => !number.checkVisibility({visibilityProperty: true, opacityProperty: true})
                      || number.closest('details:not([open])'))
    .map(number => number.textContent.trim())"""


def test_every_numbered_caption_is_visible_without_a_click(visits):
    assert found_on(visits, HIDDEN_NUMBERED_CAPTIONS) == {}


def caption_numbers(soup):
    """("Table", 3, 1), ... for every numbered caption of a page, in the order of the page."""
    found = []
    for number in soup.select(".bd-article .caption-number"):
        match = re.fullmatch(r"(Table|Fig\.|Figure)\s+(\d+)\.(\d+)\.?", number.get_text().strip())
        assert match, f"unexpected caption number {number.get_text()!r}"
        found.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return found


def test_tables_and_figures_are_numbered_without_gaps_in_each_chapter(site):
    _, html = site
    gaps, seen = {}, 0
    for page in chapter_pages():
        numbers = caption_numbers(BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser"))
        seen += len(numbers)
        for kind in {n[0] for n in numbers}:
            shown = [(chapter, item) for k, chapter, item in numbers if k == kind]
            expected = [(shown[0][0], i) for i in range(1, len(shown) + 1)]
            if shown != expected:
                gaps[f"{page} {kind}"] = shown
    assert seen > 0
    assert gaps == {}


def chapter_pages():
    """Every chapter page that opens with findings (the catalogue of figures and tables does not)."""
    return [
        page
        for page in toc_pages()
        if page.startswith("chapters/") and page != "chapters/figures_and_tables.html"
    ]


def test_about_these_numbers_is_open_right_after_the_findings_in_every_chapter(site):
    """The home page promises it: each chapter opens with its findings, then the short note."""
    _, html = site
    misplaced = {}
    for page in chapter_pages():
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        notes = [
            t.find_parent(class_="admonition")
            for t in soup.select(".admonition-title")
            if t.get_text().strip() == "About these numbers"
        ]
        if len(notes) != 1:
            misplaced[page] = f"{len(notes)} notes"
            continue
        note = notes[0]
        findings = note.find_previous_sibling(True)
        if "dropdown" in note.get("class", []) or note.find_parent("details"):
            misplaced[page] = "collapsed"
        elif findings is None or findings.name != "ul" or note.find_previous_sibling("h2"):
            misplaced[page] = f"after <{findings.name if findings else None}>, not the findings list"
    assert misplaced == {}


def test_cite_this_follows_each_table_s_source_note_and_download(site):
    _, html = site
    misplaced, seen = {}, 0
    for page in toc_pages():
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        for block in soup.select("details.cite-this[id^='tbl-']"):
            seen += 1
            before = block.find_previous_sibling(True)
            if before is None or not before.get_text().strip().startswith("Download:"):
                misplaced[block["id"]] = before.name if before else None
    assert seen > 0
    assert misplaced == {}


TOTAL_ROW_RULES = r"""() => [...document.querySelectorAll('.bd-article table tbody tr')]
    .filter(row => /^Total\b/.test(row.cells[0]?.textContent.trim() || ''))
    .map(row => ({table: row.closest('table').id, rule: Math.min(...[...row.cells].map(cell => {
        const style = getComputedStyle(cell);
        return style.borderTopStyle === 'none' ? 0 : parseFloat(style.borderTopWidth);
    }))}))"""


def test_every_total_row_has_a_rule_above_it(visits):
    unruled, seen = [], 0
    for page, visit in visits.items():
        for row in visit.page.evaluate(TOTAL_ROW_RULES):
            seen += 1
            if row["rule"] < 1.5:  # the theme's row separators are 1 px: the total's rule is heavier
                unruled.append(f"{page}#{row['table']}")
    assert seen > 0, "no total row found"
    assert unruled == []


def displayed_table_text(soup):
    """The text of every table cell as a reader sees it; inline code (check expressions, file
    names) shows data as they are, so it is left out."""
    for cell in soup.select(".bd-article table td, .bd-article table th"):
        for code in cell.select("code"):
            code.decompose()
        yield cell.get_text(" ").replace("\u2060", "")


def test_ranges_and_negatives_in_tables_show_en_dashes_and_minus_signs(site):
    from nhsreport.presentation.formatting import display_text

    _, html = site
    hyphens, seen = {}, 0
    for page in toc_pages():
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        for text in displayed_table_text(soup):
            seen += 1
            if display_text(text) != text:
                hyphens.setdefault(page, []).append(text[:60])
    assert seen > 0
    assert hyphens == {}


SEARCH_ICON_AND_QUERY = r"""() => [...document.querySelectorAll('form.bd-search')].filter(form =>
    form.offsetParent !== null).map(form => {
    const icon = form.querySelector('i, .icon, svg').getBoundingClientRect();
    const input = form.querySelector('input');
    const box = input.getBoundingClientRect();
    return {icon_right: icon.right, text_left: box.left + parseFloat(getComputedStyle(input).paddingLeft)};
})"""


def test_the_search_field_s_icon_does_not_overlap_the_query(site, browser):
    base, _ = site
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport)
        visit = PageVisit(context, urljoin(base, "search.html?q=participation")).settled()
        fields = visit.page.evaluate(SEARCH_ICON_AND_QUERY)
        context.close()
        assert fields, "no search field shown on the search page"
        for field in fields:
            assert field["icon_right"] <= field["text_left"], f"{viewport['width']} px: {field}"
