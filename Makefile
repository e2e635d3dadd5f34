# One-command set-up: every target creates .venv with the machine's python3 when missing
# and installs the project (editable, with the dev extras) into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(abspath ../shared/data)

.PHONY: setup demo test test-fast bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 > /dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/actuarial report --config examples/demo.toml

test: $(STAMP)
	ACTUARIAL_DATA_DIR="$${ACTUARIAL_DATA_DIR:-$(DATA_DIR)}" MPLBACKEND=Agg \
		$(BIN)/python -m pytest -n 2 --nbmake --nbmake-timeout=600 tests notebooks actuarial

test-fast: $(STAMP)
	ACTUARIAL_DATA_DIR="$${ACTUARIAL_DATA_DIR:-$(DATA_DIR)}" MPLBACKEND=Agg \
		$(BIN)/python -m pytest -n 2 -m "not slow" tests actuarial

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

lint: $(STAMP)
	$(BIN)/ruff check actuarial tests benchmarks examples
	$(BIN)/mypy actuarial
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build dist reports .pytest_cache
