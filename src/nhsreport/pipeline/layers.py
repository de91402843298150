"""The speed layers of ``make book``: each one can be switched off on its own, and the plain
build (``make book PLAIN=1``, ``python -m nhsreport.pipeline.book --plain``) switches them all off.

Every layer is on unless its environment variable is ``0``. None of them changes what the book
shows: the plain build gives the same notebooks, figures, manifest and page text
(tests/test_plain_build.py). What each layer buys is measured in benchmarks/RESULTS.md.

=============================  =====================================================================
Variable                       Layer (what the build does without it)
=============================  =====================================================================
NHSREPORT_WARM_KERNELS         kernels forked from a server that has imported the heavy libraries
                               (:mod:`nhsreport.pipeline.warm_kernels`); off: jupyter_client starts
                               a fresh kernel for every notebook. Off by itself where fork is
                               unsafe (macOS, Windows).
NHSREPORT_PARALLEL             the stale chapters run side by side, one kernel per core; off: one
                               notebook after another, in book order.
NHSREPORT_SPHINX_AHEAD         Sphinx is imported and set up in a process started before the
                               notebooks run, and builds once they are final
                               (:mod:`nhsreport.pipeline.sphinx_process`; the preview keeps one
                               ready between saves); off: one stock ``jupyter-book build`` once
                               every notebook is done.
NHSREPORT_SHARED_DOCTREES      figure numbering and numbered references unpickle each page once
                               (:func:`nhsreport.pipeline.private_api.share_doctrees`);
                               off: as Sphinx does, once per reference.
NHSREPORT_RESULT_CACHE         costly results kept on disk under a hash of their inputs
                               (:mod:`nhsreport.cache`); off: everything is computed afresh.
=============================  =====================================================================

The layers are read from the environment, so that the processes a build starts (kernels, the
Sphinx process) see the same switches as the build itself.
"""

import os

#: Each layer's environment variable and a few words on it (the table above says more).
LAYERS = {
    "NHSREPORT_WARM_KERNELS": "kernels forked from a warm server",
    "NHSREPORT_PARALLEL": "chapters run side by side",
    "NHSREPORT_SPHINX_AHEAD": "Sphinx set up while the notebooks run",
    "NHSREPORT_SHARED_DOCTREES": "doctrees unpickled once for numbering and references",
    "NHSREPORT_RESULT_CACHE": "costly results cached on disk",
}
OFF = "0"


def on(variable):
    """Whether the layer named by ``variable`` (a key of :data:`LAYERS`) is on."""
    if variable not in LAYERS:
        raise KeyError(f"{variable} is not a speed layer (see nhsreport.pipeline.layers)")
    return os.environ.get(variable, "1") != OFF


def switch_all_off(environ=os.environ):
    """The plain build: every layer off, here and in every process started from here."""
    for variable in LAYERS:
        environ[variable] = OFF
