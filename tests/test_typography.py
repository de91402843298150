"""How tables and numbers are set for a reader: en dashes, minus signs, number cells that keep
their marks, captions above a table's scrolling box, ruled total rows. (Synthetic inputs.)"""

import pandas as pd
import pytest

from nhsreport.pipeline.cite_blocks import end_of_item
from nhsreport.pipeline.sphinx_site import (
    captions_above_scrolling_boxes,
    fix_page,
    mark_total_rows,
    names_kept_whole,
)
from nhsreport.presentation.formatting import display_text, format_number
from nhsreport.presentation.tables import markdown_table_block, plain_frame


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        ("18-30", "18\u201330"),
        ("pp. 35-37", "pp. 35\u201337"),
        ("-5", "\u22125"),
        ("(-2.5)", "(\u22122.5)"),
        ("c2-006", "c2-006"),  # a code: left as it is
        ("m-03", "m-03"),
        ("2026-11-22", "2026-11-22"),  # a date
        ("8a-8d", "8a-8d"),  # salary grades are codes
        ("clinician-managers", "clinician-managers"),
    ],
)
def test_display_text_gives_ranges_en_dashes_and_negatives_minus_signs(printed, shown):
    assert display_text(printed) == shown


def test_format_number_writes_a_minus_sign():
    assert format_number(-5) == "\u22125"
    assert format_number(-1200) == "\u22121,200"


def test_a_table_shows_typographic_dashes_but_its_csv_keeps_the_data():
    frame = pd.DataFrame({"Age": ["18-30", "30-40"], "Change": [-5, 3]})
    block = markdown_table_block(frame, "tbl-x", "X")
    assert "18\u2013\u206030" in block and "| \u22125 |" in block
    assert list(plain_frame(frame)["Age"]) == ["18-30", "30-40"]


def test_a_number_cell_breaks_only_after_a_list_s_commas():
    frame = pd.DataFrame({"Where": ["a"], "Degrees": ["3 (1*), 2 (0*)"]})
    row = markdown_table_block(frame, "tbl-x", "X").splitlines()[-4]
    assert row.endswith("| 3\u00a0(1\\*), 2\u00a0(0\\*) |")


TABLE_HTML = (
    '<div class="pst-scrollable-table-container"><table class="table" id="tbl-x">\n'
    '<caption><span class="caption-number">Table 1.1 </span><span class="caption-text">X</span>'
    '<a class="headerlink" href="#tbl-x" title="Link to this table">#</a></caption>\n'
    "<tbody>\n"
    '<tr class="row-even"><td class="text-left"><p>Acute</p></td><td><p>3</p></td></tr>\n'
    '<tr class="row-odd"><td class="text-left"><p>Total</p></td><td><p>3</p></td></tr>\n'
    "</tbody></table></div>"
)


def test_a_caption_moves_above_the_scrolling_box_and_still_names_the_table():
    page = captions_above_scrolling_boxes(TABLE_HTML)
    assert page.startswith('<p class="table-caption" id="tbl-x-caption"><span class="caption-number">')
    assert '<table class="table" id="tbl-x" aria-labelledby="tbl-x-caption">' in page
    assert "<caption>" not in page


def test_the_total_row_is_marked_for_its_rule():
    page = mark_total_rows(TABLE_HTML)
    assert '<tr class="row-odd total-row"><td class="text-left"><p>Total</p>' in page
    assert page.count("total-row") == 1


def test_the_page_fixes_apply_once():
    once = fix_page(TABLE_HTML)
    assert fix_page(once) == once


def test_cite_this_goes_after_the_source_note_and_the_download_line():
    from docutils import nodes

    section = nodes.section()
    table = nodes.table()
    note = nodes.paragraph(text="Source: the book's Table 3.2.")
    download = nodes.paragraph(text="Download: CSV")
    after = nodes.paragraph(text="The next paragraph.")
    section += [table, note, download, after]
    assert end_of_item(table) is download
    figure = nodes.figure()
    section += figure
    assert end_of_item(figure) is figure


def test_a_hyphenated_author_in_a_citation_is_not_broken_at_the_hyphen():
    cited = (
        '<span class="bibtex-citation" id="id1">Klopper-Kes <em>et al.</em> [<a href="#x">2010</a>]</span>'
    )
    page = names_kept_whole(cited)
    assert ">Klopper-\u2060Kes <em>" in page
    assert names_kept_whole(page) == page


def test_a_note_mark_stays_on_the_line_of_what_it_marks():
    frame = pd.DataFrame({"Trust": ["2.1, 2.2… †"]})
    row = markdown_table_block(frame, "tbl-x", "X").splitlines()[-4]
    assert row == "| 2.1, 2.2… † |"
