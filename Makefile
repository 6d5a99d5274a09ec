# The README's commands. `make demo` and `make test` work on a fresh machine with Python 3.10+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench model lint clean vendor-js

# torch: the CPU build is all Tessera needs (an unpinned torch from PyPI is a multi-GB CUDA build)
TORCH ?= torch==2.13.0

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '$(TORCH)' -e '.[test,ray,train]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f demo.db
	$(BIN)/tessera build demo.db examples/corpus/
	$(BIN)/tessera profile demo.db GLA
	$(BIN)/tessera conflicts demo.db

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/build_speed.py
	$(BIN)/python benchmarks/web_pages.py
	$(BIN)/python benchmarks/eval_corpora.py
	$(BIN)/python benchmarks/duplicates.py
	$(BIN)/python -m benchmarks.muc4 --split dev --workers 2
	$(BIN)/python -m benchmarks.wikievents --split dev
	$(BIN)/python -m benchmarks.conll --split dev
	$(BIN)/python -m benchmarks.redocred --split dev

# retrain the role-filler tagger on ../shared/eval/muc4 (CPU, under an hour); writes src/tessera/analyze/models/roles
model: $(STAMP)
	$(BIN)/python -m tessera.train roles

# re-fetch the workbench's JavaScript (Cytoscape.js, vis-timeline) from npm into src/tessera/web/static/vendor
vendor-js:
	scripts/vendor-js.sh

clean:
	rm -rf $(VENV) demo.db .pytest_cache
