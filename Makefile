# Two commands for a fresh machine with Python 3.11 and make: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
export UV_COMPILE_BYTECODE := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_DISABLE_TELEMETRY := true

.PHONY: install demo test lint ui bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.9.30"

# The environment: pinned packages, then the dbt manifest prepared once at build time.
$(VENV)/.installed: $(UV) pyproject.toml constraints.txt
	$(UV) pip install --quiet --python $(BIN)/python -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed
	$(BIN)/mqa prepare

demo: install
	$(BIN)/mqa demo

test: install lint
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check orchestration tests
	$(BIN)/ruff format --check orchestration tests
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros dbt_project/tests

ui: install
	$(BIN)/mqa ui

# The benchmark: PRESET=small|medium|large (default small); updates BENCHMARKS.md and benchmarks/.
PRESET ?= small
bench: install
	$(BIN)/mqa bench --preset $(PRESET)

clean:
	rm -rf $(VENV) data dbt_project/target dbt_project/logs
