# Tight Butt Blast: build, preview, check and test the guide.
#
#   make build   set up .venv, build the site into site/ (strict) and the PDF handout
#   make test    set up .venv, run the whole test suite
#   make serve   live preview on http://127.0.0.1:8000
#   make check   every contributor check, as CI runs it
#
# Everything is installed into .venv from pinned requirements files.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

SITE_STAMP := $(VENV)/.site-installed
DEV_STAMP  := $(VENV)/.dev-installed

.PHONY: build pdf test serve check clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: Python 3.11 or newer is needed; '$(PYTHON)' is missing or older."; \
	  echo "       Install it, or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): $(SITE_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# make build SKIP_PDF=1: the site without the PDF handout (no Pango needed)
SKIP_PDF ?=

build: $(SITE_STAMP)
	$(BIN)/mkdocs build --strict
ifeq ($(strip $(SKIP_PDF)),)
	@$(MAKE) --no-print-directory pdf
else
	@echo "build: PDF handout skipped (SKIP_PDF=$(SKIP_PDF))"
endif

# The PDF handout, from the built site: site/handout.pdf (A4), site/handout-letter.pdf.
# Needs Pango; on Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0
# libharfbuzz-subset0 fonts-noto-core (see pdf/README.md).
pdf: $(SITE_STAMP)
	@test -f site/index.html || $(BIN)/mkdocs build --strict
	$(BIN)/python -m pdf

serve: $(SITE_STAMP)
	$(BIN)/mkdocs serve --strict

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
