# The two commands:  make book  |  make test   (README.md explains both)
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: book test screenshots execute datapackage datazip pdf serve preview clean benchmark lock replication

# A fresh machine gets the virtualenv and the exact locked dependencies on first use, each file
# checked against the sha256 in the lock (pip itself first). The project's own package has no
# hash to check, so it is installed by a separate call, without dependencies.
$(STAMP): requirements-pip.txt requirements.txt requirements-nodeps.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-virtualenv --require-hashes -r requirements-pip.txt
	$(PY) -m pip install --quiet --require-virtualenv --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --require-virtualenv --require-hashes --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# After editing requirements*.in: compile the hash-locked requirements*.txt (and Binder's copy)
# with uv; versions already locked stay unless a list asks for another. Needs the package index.
lock: $(STAMP)
	$(PY) -m nhsreport.pipeline.lock

# Validate data, execute the chapters whose inputs changed, build the HTML (warnings are errors)
# into a staging folder, put the whole-book PDF into it (printed again only if its inputs changed)
# and publish it to _build/html only on success. VERBOSE=1 shows tracebacks.
# PLAIN=1: the plain reference build, every speed layer off (README, "Speed layers").
book: $(STAMP)
	$(PY) -m nhsreport.pipeline.book $(if $(VERBOSE),--verbose) $(if $(PLAIN),--plain)

# nbval re-runs each notebook and compares its outputs; pytest checks the rest. One worker per
# core (a third worker on two cores was slower: 279 s against 203 s, 2026-12-03), each handed a
# whole module at a time, slowest modules first (tests/conftest.py lists them).
test: $(STAMP)
	$(PY) -m pytest -n auto --dist loadscope --no-loadscope-reorder

# Your managers beside the study: make replication DATA=path/to/respondents.csv [MIN_CELL=5]
# -> _build/replication/html/index.html and _build/replication/tables/*.csv. DATA and MIN_CELL
# reach the program through the environment (make exports command-line variables), so a file
# name is never pasted into a shell command. A file that breaks a rule exits 2 and builds nothing.
replication: $(STAMP)
	$(PY) -m nhsreport.replication.book $(if $(VERBOSE),--verbose)

# The browser tests, keeping a full-page picture of every page (desktop and phone) in screenshots/.
screenshots: $(STAMP)
	SCREENSHOTS=1 $(PY) -m pytest tests/test_browser.py

execute: $(STAMP)
	$(PY) -m nhsreport.pipeline.execute --all

# After a deliberate edit of a data file: record its new sha256 and regenerate data/README.md.
datapackage: $(STAMP)
	$(PY) -m nhsreport.data.package

# The data package as one versioned zip: _build/nhsreport-data-<version>.zip
datazip: $(STAMP)
	$(PY) -m nhsreport.pipeline.datazip

# The whole book as one PDF alone (Chromium prints the single-page HTML; offline): _build/pdf/.
# `make book` builds it too, when its inputs changed, and publishes the site with it.
pdf: $(STAMP)
	$(PY) -m nhsreport.pipeline.pdf

serve: book
	$(PY) -m http.server --directory _build/html 8000

# Serve the book at http://127.0.0.1:$(PORT) (this machine only) and run `make book`'s build on
# every save; the open page reloads itself, and shows the build's message if it failed.
PORT ?= 8000
preview: $(STAMP)
	$(PY) -m nhsreport.pipeline.preview --port $(PORT)

clean:
	rm -rf _build

# Build timings on the real book, against a stock jupyter-book build (not part of `make test`).
benchmark: $(STAMP)
	$(PY) benchmarks/run.py
