# Everything a fresh machine needs is installed from here: .venv, the package, its test extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= tracker.db

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/tracker init --db $(DB)
	$(BIN)/tracker ingest --db $(DB) seeds/000_46a520fc1d27543f.json
	$(BIN)/tracker list --db $(DB)

lint: $(STAMP)
	$(BIN)/ruff check tracker tests bench
	$(BIN)/ruff format --check tracker tests bench
	$(BIN)/mypy tracker

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/append.py

clean:
	rm -rf $(VENV) out $(DB) $(DB)-wal $(DB)-shm
