# The course's commands. `make lab` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.advpy-installed

.PHONY: help setup lab lab-instructor test test-fast lint build check-build doctor benchmarks clean

help:
	@echo "make lab             open the course in JupyterLab (learner set-up)"
	@echo "make lab-instructor  JupyterLab with nbgrader's instructor tools (formgrader)"
	@echo "make test            run the whole test suite"
	@echo "make build           regenerate every notebook from its text master"
	@echo "make lint            ruff and mypy"
	@echo "make doctor          report what the environment has and lacks"
	@echo "make benchmarks      run the measurements in benchmarks/"

# Set-up is idempotent: it re-runs only when the venv is missing or the pins changed.
setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	$(BIN)/advpy setup-jupyter
	@touch $@

lab: $(STAMP)
	$(BIN)/advpy lab

lab-instructor: $(STAMP)
	$(BIN)/advpy lab --instructor

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests notebooks solutions benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

build: $(STAMP)
	$(BIN)/advpy build

check-build: $(STAMP)
	$(BIN)/advpy build --check

doctor: $(STAMP)
	$(BIN)/advpy doctor

benchmarks: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build test-artifacts
