"""Helpers of the reproducible report on NHS middle managers.

Data flow one way: ``data/`` -> :mod:`nhsreport.data` (load, validate) -> one module of
:mod:`nhsreport.analyses` per chapter -> :mod:`nhsreport.presentation` (tables, figures, glue)
-> chapter notebooks -> book and ``figures/``. :mod:`nhsreport.pipeline` runs the notebooks and
builds the book; it is no notebook's input.
"""

# Under the build, every project module a notebook imports is one of its inputs: start recording
# before any other project module is imported.
from .data.reads import record_imports  # noqa: E402

record_imports()
