"""Helpers of the reproducible report on NHS middle managers.

Data flow one way: ``data/`` -> :mod:`nhsreport.data` (validated loading) -> tables and figures
(:mod:`nhsreport.tables`, :mod:`nhsreport.figures`) -> chapter notebooks -> book and ``figures/``.
"""
