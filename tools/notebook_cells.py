"""Authoring aid: write a chapter notebook from a list of cells (used by tools/*.py chapter scripts)."""
import nbformat, sys
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

def md(text): return new_markdown_cell(text.strip("\n"))
def code(text, tags=("remove-cell",)):
    c = new_code_cell(text.strip("\n")); c.metadata["tags"] = list(tags); return c

def write(path, cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:02d}"
    nbformat.write(nb, path)
