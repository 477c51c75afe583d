# The course's commands. `make lab` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.advpy-installed
# The suite runs one test process per core and must finish within its budget (seconds).
TEST_WORKERS ?= auto
TEST_BUDGET  ?= 1200

.PHONY: help setup lab lab-instructor test lint audit build check-build site doctor benchmarks \
        clean system-lab system-test test-full

help:
	@echo "make lab             open the course in JupyterLab (learner set-up)"
	@echo "make lab-instructor  JupyterLab with nbgrader's instructor tools (formgrader)"
	@echo "make test            run the whole test suite"
	@echo "make test-full       run every lesson in full mode (minutes each; LESSONS=\"-k 21\")"
	@echo "make build           regenerate every notebook from its text master"
	@echo "make site            the course as a static website in _site/, every lesson run"
	@echo "make audit           grade mutants of each reference: do the hidden tests catch them?"
	@echo "make lint            ruff, mypy and the import contracts"
	@echo "make doctor          report what the environment has and lacks"
	@echo "make benchmarks      run the measurements in benchmarks/"

# Set-up is idempotent: it re-runs only when the venv is missing or the pins changed.
# Before it, every time, the system packages (scripts/system-packages.txt) that the goal needs
# are checked, and installed when that needs no password: instant when none is missing.
# Prerequisites are made left to right, so a missing one stops make before the venv or pytest.
setup: system-lab $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) scripts/system_deps.py --python-version
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	$(BIN)/advpy setup-jupyter
	@touch $@

system-lab system-test:
	@$(PYTHON) scripts/system_deps.py --for $(@:system-%=%)

lab: system-lab $(STAMP)
	$(BIN)/advpy lab

lab-instructor: system-lab $(STAMP)
	$(BIN)/advpy lab --instructor

test: system-test $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --time-budget $(TEST_BUDGET)

# Every lesson in full mode (full-size inputs and loads), top to bottom: minutes per lesson, so
# not part of `make test`. LESSONS="-k 21_scal" picks some.
test-full: system-test $(STAMP)
	ADVPY_FAST=0 $(BIN)/python -m pytest -n $(TEST_WORKERS) tests/test_lessons_full_mode.py $(LESSONS)

lint: $(STAMP)
	$(BIN)/ruff check src tests notebooks solutions benchmarks scripts site
	$(BIN)/ruff format --check src tests benchmarks scripts site
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Grade mutants of every reference solution (or of SETS="ps31_two_sum ...") twice: see README.
audit: $(STAMP)
	$(BIN)/advpy audit $(SETS)

build: $(STAMP)
	$(BIN)/advpy build

check-build: $(STAMP)
	$(BIN)/advpy build --check

# The course as a static website: every lesson executed (fast mode; SITE_FLAGS=--full for
# full-size inputs), graded sets in their learner versions; open _site/index.html.
site: system-lab $(STAMP)
	$(BIN)/advpy site $(SITE_FLAGS)

doctor: $(STAMP)
	$(BIN)/advpy doctor

benchmarks: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build test-artifacts _site

# The course as learners of a graded class get it, every file scanned for answers (README).
.PHONY: release hub
release: $(STAMP)
	$(BIN)/advpy release $(RELEASE_FLAGS)

# A trial class on JupyterHub on loopback (as root: it creates the learners' Unix users).
hub: system-test $(STAMP)
	$(BIN)/advpy hub $(HUB_FLAGS)
