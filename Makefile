# `make run` (demo app on http://localhost:8501), `make test` (every test) and `make test-fast` (all but the browser).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     ?= $(if $(EKTP_DB),$(EKTP_DB),data/ektp.duckdb)
PORT   ?= 8501
# glibc heaps for the server's threads: Streamlit runs every rerun in a new thread, and with glibc's default
# (8 per core) freed memory piles up in idle heaps over days (bench/README.md, "The lobby screen over time").
MALLOC_ARENA_MAX ?= 2

.PHONY: run test test-fast bench soak demo clean
# A recipe that fails leaves no half-made target behind (e.g. the database).
.DELETE_ON_ERROR:

# A venv without pip (python3 -m venv without ensurepip) is rebuilt rather than trusted.
$(VENV)/.runtime: requirements.txt
	test -x $(VENV)/bin/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.runtime
	EKTP_DB=$(DB) $(PY) -m ektp_metrics init --demo

run: $(VENV)/.runtime $(DB)
	@echo "Data contoh / demo data: $(DB). Akun / accounts:"
	@EKTP_DB=$(DB) $(PY) -m ektp_metrics users list
	EKTP_DB=$(DB) MALLOC_ARENA_MAX=$(MALLOC_ARENA_MAX) $(VENV)/bin/streamlit run serve.py --server.port $(PORT)

demo: $(VENV)/.runtime
	EKTP_DB=$(DB) $(PY) -m ektp_metrics init --demo --force

# Lint and types first (seconds), then every test: the browser tests (mostly waiting on servers and
# Chromium; three workers taking the next test as they finish one, each worker with its Chromium and shared
# demo server; a module with a server of its own marks its tests xdist_group, kept on one worker) in
# processes of their own beside the others (two workers), so Playwright's event loop never meets the other tests.
# The others run at a lower priority (nice): they only compute, while the browser tests mostly wait for a
# server or Chromium and, starved of the CPU, would take longer than both take together. Both must pass; a side that collects nothing (PYTEST_ARGS narrowed it) is no failure.
test: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	@mkdir -p artifacts
	@$(PY) -m pytest -m browser -n 3 --dist loadgroup $(PYTEST_ARGS) > artifacts/pytest-browser.log 2>&1 & browser=$$!; \
	nice -n 10 $(PY) -m pytest -m "not browser" -n 2 $(PYTEST_ARGS); fast=$$?; \
	wait $$browser; slow=$$?; \
	echo "---- browser tests (artifacts/pytest-browser.log) ----"; cat artifacts/pytest-browser.log; \
	ok() { [ "$$1" = 0 ] || [ "$$1" = 5 ]; }; \
	ok $$fast && ok $$slow && ! { [ $$fast = 5 ] && [ $$slow = 5 ]; }

# The inner loop: every test but the browser ones (no `streamlit run`, no Chromium), on two workers.
test-fast: $(VENV)/.dev
	$(PY) -m pytest -m "not browser" -n 2 $(PYTEST_ARGS)

# Ratios against bare baselines (see bench/README.md): page script time against an empty Streamlit page,
# at national scale `import` / `summary` against bare DuckDB, with peak memory, and the checkpoint after
# every upload (Solo and national) against the same upload without it and bare DuckDB's own CHECKPOINT; the
# HTTP API under 50 polling clients and a greedy one beside 5 lobby screens (needs Chromium; about 80 s); first
# paint and 10 viewers at once per dashboard page in Chromium against an empty page (a few minutes).
bench: $(VENV)/.dev
	$(PY) -m bench.pages
	$(PY) -m bench.national
	$(PY) -m bench.checkpoint
	$(PY) -m bench.api
	$(PY) -m bench.browser

# The lobby screen for an hour in 4 Chromium tabs, server memory sampled (needs Chromium).
soak: $(VENV)/.dev
	MALLOC_ARENA_MAX=$(MALLOC_ARENA_MAX) $(PY) -m bench.kiosk_soak --minutes 60 --tabs 4 --detik 5 --cache-seconds 2 \
		--trace artifacts/soak_trace --trace-frames 0

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
