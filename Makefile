# Everything a fresh machine needs is installed from here: .venv, the package, its test extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := out/demo.db
TRACKER := $(BIN)/tracker
LOCK := requirements.lock
BENCH_LOCK := requirements-bench.lock
LOCK_VENV := .venv-lock
UV_VERSION := 0.13.9

.PHONY: demo test lint bench clean lock readme-samples

# requirements-pip.lock pins the installer itself; requirements.lock pins every package of the
# runtime and the test extras, each with its sha256 hashes (all platforms, Python 3.11+); pip
# installs exactly those, refusing any file whose hash differs, then the package itself without
# resolving anything (--no-deps) and with the build backend from the lock (--no-build-isolation:
# hatchling is pinned there too).
$(STAMP): pyproject.toml $(LOCK) requirements-pip.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh the locks after a change of pyproject.toml: the pins already in them are kept where
# they still fit; `make lock UPGRADE=1` takes the newest releases instead. uv runs from its own
# venv. requirements-bench.lock adds the bench extra (eventsourcing, for `make bench` only) to
# the runtime, held to requirements.lock's pins (-c), so installing it beside the test extras
# changes none of them.
lock:
	test -x $(LOCK_VENV)/bin/uv || ($(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)')
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml --extra test --universal \
		--python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
		$(if $(UPGRADE),--upgrade) --quiet -o $(LOCK)
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml --extra bench -c $(LOCK) --universal \
		--python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
		$(if $(UPGRADE),--upgrade) --quiet -o $(BENCH_LOCK)

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

# Every sample output in the README, rewritten from a real run of its commands (a test checks
# them: tests/test_readme_samples.py).
readme-samples: $(STAMP)
	$(BIN)/python tests/readme_samples.py --write

lint: $(STAMP)
	$(BIN)/ruff check tracker tests bench
	$(BIN)/ruff format --check tracker tests bench
	$(BIN)/mypy tracker

test: lint
	$(BIN)/pytest -q

# The bench extra from its own lock, hashes required like the rest (the package itself is
# installed already, by $(STAMP)).
bench: $(STAMP) $(BENCH_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(BENCH_LOCK)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/append.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/project.py
	$(BIN)/python bench/poll.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) out
