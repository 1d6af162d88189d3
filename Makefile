# Two commands do all set-up on a fresh machine (Python 3.11):
#   make run   - create .venv if needed, install, process corpus/ into outputs/
#   make test  - create .venv if needed, install with dev extras, install Debian's chromium
#                where /usr/bin/chromium is missing (the report's browser test), run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test eval bench clean-outputs chromium screenshot

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/frnews run corpus/ --out outputs/

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

# Debian's chromium for the browser test of report.html, only where /usr/bin/chromium is missing
# (apt-get as root; exit 3 = impossible here, e.g. not root: that test is then skipped)
chromium:
	sh scripts/install_chromium.sh || [ $$? -eq 3 ]

# the README's picture of report.html: corpus/ processed, the report opened in headless Chromium
screenshot: $(STAMP) chromium
	$(BIN)/python scripts/report_screenshot.py docs/report.png

eval: $(STAMP)
	$(BIN)/frnews eval

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean-outputs:
	find outputs -mindepth 1 ! -name README.md -exec rm -rf {} +
