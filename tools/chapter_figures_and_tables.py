"""Authoring script of chapters/figures_and_tables.ipynb (run it, then execute the notebook)."""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import code, md, write

cells = [
md("""
(chap-figures-and-tables)=
# Figures and tables

Every figure and table of this report, in book order, with what a citation needs: its number and
stable label (the label is also its anchor and its file name in `figures/`), its caption, the
files to download, the record of which notebook, data and code made it
(`figures/manifest.json`), and a ready citation in plain text and BibTeX. Labels never change
between versions; numbers follow the order of the book. This report holds
{glue:text}`n_figures` figures and {glue:text}`n_tables` tables.
"""),
code("""
from IPython.display import Markdown, display
from myst_nb import glue
from nhsreport import catalogue

n_figures, n_tables = catalogue.count_by_kind()
glue("n_figures", n_figures, display=False)
glue("n_tables", n_tables, display=False)
"""),
code("""
display(Markdown(catalogue.catalogue_markdown()))
""", tags=("remove-input",)),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "figures_and_tables.ipynb", cells)
