# Two commands do all set-up on a fresh machine (Python 3.11):
#   make run   - create .venv if needed, install, process corpus/ into outputs/
#   make test  - create .venv if needed, install with dev extras, run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test eval bench clean-outputs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/frnews run corpus/ --out outputs/

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/frnews eval

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean-outputs:
	find outputs -mindepth 1 ! -name README.md -exec rm -rf {} +
