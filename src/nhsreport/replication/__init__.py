"""NOTES FOR THE BOOK (additions to the interface, by the aggregation side):

* ``read_respondents(path, min_cell=5)``: pass MIN_CELL so the file-level threshold agrees.
* ``disclosure.write_table(table, path)`` writes a protected table with ``suppressed`` as
  ``true``/``false`` (pandas would write ``True``); ``disclosure.methods(min_cell)`` is
  ``METHODS`` with the threshold filled in (METHODS itself holds ``{min_cell}`` placeholders).
* Secondary suppression assumes the row, column and grand totals of each table are published;
  a total that is itself 1..min_cell-1 (a tiny organisation) must not be shown unprotected.
* The book publishes each table at three levels (whole sample, organisation types,
  organisations), and the tables share margins (``sample`` is the row total of ``sex``,
  ``training`` and ``clinical_backgrounds``). Protected one by one, a suppressed cell can be
  worked out from another table or level (tests/test_replication.py shows it). Use
  ``disclosure.protect_levels({"all": ..., "types": ..., "yours": ...}, parents, min_cell)``
  with ``parents = {"types": {type: {"all": ALL}}, "yours": {organisation: {"all": ALL, "types":
  its type}}}``: all count tables at all levels are protected as one set of cells, and the tenure
  means across levels likewise.
* ``study_tables()["training"]`` has ``low``/``high`` per cell, plus rows with ``organisation``
  or ``cohort`` ``all``: the bars of Figures 3.2 / 3.3.
* ``make book`` in this worktree currently fails: the main book's Sphinx reads
  ``replication/pages/*.md`` ("document isn't included in any toctree"); exclude ``replication``
  in _config.yml's exclude_patterns.

Replicate the study with your own managers: a respondent-level file in, the study's tables out.

Interface (the replication book, :mod:`nhsreport.replication.book`, is built on it):

* :func:`nhsreport.replication.respondents.read_respondents` reads and validates a respondent
  file (raises :class:`nhsreport.data.errors.DataErrors`); ``respondents.SCHEMA`` and
  ``respondents.TEMPLATE`` are the paths of its Frictionless schema and template CSV.
* :func:`nhsreport.replication.aggregate.aggregate` turns the validated frame into the six
  tables (sample, sex, age, tenure, training, clinical_backgrounds), unsuppressed.
* :func:`nhsreport.replication.disclosure.protect` applies disclosure control (adds
  ``suppressed``, empties suppressed values); ``disclosure.METHODS`` says which rules and why;
  :func:`nhsreport.replication.disclosure.suppression_report` lists what was suppressed.
* :func:`nhsreport.replication.study.study_tables` gives the study's published values in the
  same shapes (training as low/high ranges where the study leaves them undetermined).
"""
