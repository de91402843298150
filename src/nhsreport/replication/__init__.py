"""Replicate the study with your own managers: a respondent-level file in, the study's tables out.

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
