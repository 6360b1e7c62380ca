# Everything a fresh machine needs is installed from here: .venv, the package, its test extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := out/demo.db
TRACKER := $(BIN)/tracker

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The main job on the embedded default: a fresh store under out/, the seed article, the sample
# feed (which holds the seed again: recognised, not stored twice), every export, the status.
demo: export TRACKER_DB = $(DEMO_DB)
demo: $(STAMP)
	rm -rf out
	$(TRACKER) init
	$(TRACKER) ingest seeds/000_46a520fc1d27543f.txt
	$(TRACKER) feeds add seeds/feed.xml --negotiation israel-hamas-ceasefire
	$(TRACKER) poll
	$(TRACKER) list
	$(TRACKER) verify
	$(TRACKER) export --out-dir out
	$(TRACKER) status

lint: $(STAMP)
	$(BIN)/ruff check tracker tests bench
	$(BIN)/ruff format --check tracker tests bench
	$(BIN)/mypy tracker

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/append.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/project.py
	$(BIN)/python bench/poll.py

clean:
	rm -rf $(VENV) out
