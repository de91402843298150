"""What a chapter notebook needs, in one object: validated data, glue, numbered tables and figures.

    chapter = Chapter("who-was-studied")
    data = chapter.data
    chapter.glue("n_interviewed", 68)
    chapter.table(frame, "tbl-sample", "Caption ...")
    chapter.figure(fig, "fig-sample-composition", "Caption ...", values=frame)

Tables are emitted as MyST ``{table}`` blocks (numbered, referable with ``{numref}``) and saved as
CSV; figures are saved to ``figures/`` as SVG, PNG (300 dpi) and PDF with reproducible bytes and
glued for a ``{glue:figure}`` block in the prose. Both are recorded in ``figures/manifest.json``.
Every file is written whole or not at all (:mod:`nhsreport.atomic`).
"""

import matplotlib.pyplot as plt
from IPython.display import Markdown, display
from matplotlib.text import Text
from myst_nb import glue as myst_glue

from .. import atomic, paths
from ..data import load as data_module
from ..data import reads
from . import legibility, style
from .drawn import downloadable_table, legend_colours
from .figure_files import SUFFIXES, GluedSvg, figure_files
from .tables import markdown_table_block, plain_frame


class Chapter:
    def __init__(self, notebook, data_dir=None, figures_dir=None):
        style.apply()
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        # SVG: crisp in the book; without a date it is byte-identical on every run, so nbval compares it.
        set_matplotlib_formats("svg", metadata={"Date": None, "Creator": None})
        self.notebook = notebook
        self.figures_dir = figures_dir or paths.FIGURES_DIR
        self.data = data_module.load_data(data_dir)

    def __getitem__(self, resource):
        """A validated data table (the read is recorded by the data layer)."""
        return self.data[resource]

    def evaluate(self, expression):
        return self.data.evaluate(expression)

    # --- prose -------------------------------------------------------------------------------
    def glue(self, name, value):
        """Make a value available to the prose as {glue:text}`name` without printing it here."""
        if hasattr(value, "item"):
            value = value.item()  # numpy scalars would print as 'np.float64(...)'
        myst_glue(name, value, display=False)

    # --- provenance ---------------------------------------------------------------------------
    def _record(self, label, kind, files, caption, **measures):
        """Tell the build what this output is and which data it was made from (everything read so
        far); the build writes ``figures/manifest.json`` from it."""
        reads.record_output(
            {
                "label": label,
                "kind": kind,
                "caption": caption,
                "notebook": f"chapters/{self.notebook}.ipynb",
                "data": reads.data_files_read(),
                "sources": reads.other_files_read(),
                "files": [path.name for path in files],
                **measures,
            }
        )

    # --- tables ---------------------------------------------------------------------------------
    def table(self, frame, label, caption, note=None, download=None):
        """Show a numbered table with its CSV download, and save the CSV under a stable name.

        Cells are escaped in the page (only :class:`~nhsreport.presentation.tables.Markup`, made
        by ``cite``/``emphasis``/``code``, renders as markup); the CSV holds their plain text.
        ``download``: the full frame for the CSV when the page shows a shortened one (a long
        value cut to fit the text column)."""
        csv_path = self.figures_dir / f"{label}.csv"
        whole = frame if download is None else download
        atomic.write_text(csv_path, plain_frame(whole).to_csv(index=False, lineterminator="\n"))
        self._record(label, "table", [csv_path], caption)
        display(Markdown(markdown_table_block(frame, label, caption, note)))

    def register(self, frame, label, caption):
        """Save a register (one row per record, with its ids and checks) as a CSV download under a
        stable name, with provenance, shown on no page: the prose links it with
        {download}`../figures/<label>.csv`, so no id or check expression reaches a page's text."""
        csv_path = self.figures_dir / f"{label}.csv"
        atomic.write_text(csv_path, plain_frame(frame).to_csv(index=False, lineterminator="\n"))
        self._record(label, "register", [csv_path], caption)

    # --- figures --------------------------------------------------------------------------------
    def figure(self, fig, label, caption, values):
        """Save a figure as SVG, PNG (300 dpi), PDF and a thumbnail, with reproducible bytes, and glue it.

        ``values`` is the tidy table the figure was drawn from (one row per plotted value, no
        drawing geometry); it is saved as the figure's "values drawn" CSV.
        Every text in the figure is drawn as typed (text from data is never parsed as mathtext),
        and the size its smallest text will have on the page, and the colour of every entry of
        its legend, are recorded with it."""
        draw_text_as_typed(fig)
        values_csv = self.figures_dir / f"{label}.values.csv"
        atomic.write_text(values_csv, downloadable_table(values).to_csv(index=False, lineterminator="\n"))
        saved = figure_files(fig)
        files = [values_csv]
        for suffix in SUFFIXES:
            path = self.figures_dir / f"{label}.{suffix}"
            atomic.write_bytes(path, saved[suffix])
            files.append(path)
        smallest = legibility.smallest_text_px(fig, saved["svg"])
        self._record(
            label, "figure", files, caption, smallest_text_px=smallest, legend_colours=legend_colours(fig)
        )
        myst_glue(label, GluedSvg(saved["svg"], fig), display=False)
        # The caption is written once, here: the prose's figure block pastes it, the manifest keeps it.
        myst_glue(f"{label}-caption", caption, display=False)
        plt.close(fig)


def draw_text_as_typed(fig):
    """Turn off mathtext for every text of a figure: a "$" from data is drawn as a dollar sign.
    (Marker glyphs such as ``"$*$"`` are paths, not texts, and keep working.)"""
    for text in fig.findobj(Text):
        text.set_parse_math(False)
