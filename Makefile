# Every target does its own set-up: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
UV     := $(VENV)/bin/uv
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test lint bench lock clean bytecode browser postgres pg-up pg-down

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $(STAMP)

demo: setup bytecode
	$(VENV)/bin/govreports demo

# The suite runs in parallel (pytest-xdist); each test web, warehouse and PostgreSQL
# database lives in its own temporary directory, port or name, so tests are independent of
# their neighbours. One worker more than cores: about a tenth of the suite's time is spent
# waiting on servers and child processes, which the extra worker fills (2 cores: 3 workers
# 168 s, 2 workers 180 s, 4 workers 190 s). Work stealing keeps every worker busy to the end;
# tests sharing a Prefect server share it per worker. TEST_WORKERS overrides the count.
# Compiled files are written even where PYTHONDONTWRITEBYTECODE is set: each worker and each
# child process would otherwise compile (and pytest rewrite) every module it imports again,
# about 3 s of CPU per worker before the first test.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(len(os.sched_getaffinity(0)) + 1)")
test: setup bytecode browser postgres
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

# Headless Chromium + a CJK font for the HTML report's browser tests (apt, when root).
browser:
	@tools/install-browser

# PostgreSQL's server programs for the DuckLake catalog tests (apt, when root).
postgres:
	@tools/install-postgres

# A local PostgreSQL (data/pg, 127.0.0.1:54329) for a DuckLake catalog; prints the settings.
# PG_DIR and PG_PORT override the place and port.
PG_DIR  ?= data/pg
PG_PORT ?= 54329
pg-up: setup postgres
	@$(PY) -m warehouse.pgserver up --dir $(PG_DIR) --port $(PG_PORT)

pg-down: setup
	@$(PY) -m warehouse.pgserver down --dir $(PG_DIR)

# Compiled modules for the project (the dependencies get theirs at set-up): the suite starts
# many Python processes, and where PYTHONDONTWRITEBYTECODE is set each would otherwise
# compile every module it imports again. Cheap when nothing changed.
bytecode: setup
	@$(PY) -m compileall -q -j 0 govreports flows tasks schemas warehouse ui benchmarks > /dev/null

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: setup
	$(PY) -m benchmarks

# Re-resolve the pinned environment after editing dependencies in pyproject.toml.
lock: setup
	$(UV) pip compile pyproject.toml --extra dev --extra bench --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
