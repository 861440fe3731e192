# Tight Butt Blast: build, preview, check and test the guide.
#
#   make build   set up .venv, build the site into site/ (strict) and the PDF handout
#   make test    set up .venv, run the whole test suite (in parallel: pytest-xdist)
#   make test-fast  unit tests, fixture sites, bad inputs: no browser, no PDF (the edit-test loop)
#   make serve   live preview on http://127.0.0.1:8000
#   make check   every contributor check, as CI runs it
#   make bench   the build-time benchmark (bench/RESULTS.md)
#   make lighthouse  Lighthouse scores of every page (test-artifacts/lighthouse.md)
#                (one step alone: make check-spelling, check-links, ...)
#
# Everything is installed into .venv from pinned requirements files; the
# system packages (tools/system-packages.txt) with apt-get when make runs as
# root or `sudo -n` works, otherwise make stops first with the command to run.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# The engine is this checkout's macros/, whichever checkout last installed the
# project into the venv (a copy, a second clone sharing one .venv): devpath/
# makes it importable as mkdocs_citations and registers its plugin first.
export PYTHONPATH := $(CURDIR)/devpath:$(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

SITE_STAMP := $(VENV)/.site-installed
DEV_STAMP  := $(VENV)/.dev-installed

.PHONY: build pdf test test-fast serve check bench clean lighthouse

# A .venv without pip (`python3 -m venv` stopped half-way: a Debian Python
# without python3-venv) is made again, instead of failing on "No module named pip".
$(BIN)/python: $(if $(wildcard $(BIN)/pip),,venv-without-pip)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: Python 3.11 or newer is needed; '$(PYTHON)' is missing or older."; \
	  echo "       Install it, or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  v=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	  echo "error: '$(PYTHON)' cannot make a virtual environment: its venv/ensurepip modules are missing."; \
	  echo "       On Debian/Ubuntu run: apt-get install python$$v-venv   (or python3-venv), then make again."; exit 1; }
	@if [ -f $(VENV)/pyvenv.cfg ]; then echo "$(VENV) has no pip (made half-way): making it again"; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)

.PHONY: venv-without-pip
venv-without-pip:

# -- system packages: tools/system-packages.txt is the one list ----------------
# system-packages-build: what `make build` needs (Pango and the fonts of the PDF
# handout); system-packages-test: those and what the tests need (Chromium,
# poppler, zbar). Missing ones are installed with apt-get as root, or with
# `sudo -n` when that needs no password; otherwise make stops here, before
# anything runs, with the one command to run. SYSTEM_PACKAGES=check: never install.
.PHONY: system-packages-build system-packages-test
system-packages-build system-packages-test: | $(BIN)/python
	@$(BIN)/python tools/system_packages.py $(@:system-packages-%=%)

# The pinned packages, then the citation engine itself (macros/, the `citations`
# plugin), editable: MkDocs finds it by its entry point, edits apply at once.
$(SITE_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(DEV_STAMP): $(SITE_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# make build SKIP_PDF=1: the site without the PDF handout (no Pango needed)
SKIP_PDF ?=

build: $(if $(strip $(SKIP_PDF)),,system-packages-build) $(SITE_STAMP)
	$(BIN)/mkdocs build --strict
ifeq ($(strip $(SKIP_PDF)),)
	@$(MAKE) --no-print-directory pdf
else
	@echo "build: PDF handout skipped (SKIP_PDF=$(SKIP_PDF))"
endif

# The PDF handout, from the built site: site/handout.pdf (A4), site/handout-letter.pdf.
# Needs Pango and the handout's fonts (system-packages-build; see pdf/README.md).
pdf: system-packages-build $(SITE_STAMP)
	@test -f site/index.html || $(BIN)/mkdocs build --strict
	$(BIN)/python -m pdf

serve: $(SITE_STAMP)
	$(BIN)/mkdocs serve --strict

# -n auto: one pytest-xdist worker per core; --dist loadscope keeps each test
# file on one worker, so that what a file shares (one Chromium, one PDF
# handout, one pair of reproducible builds) is made once per run, not once per
# worker. PYTEST_ARGS: more options, e.g. PYTEST_ARGS="-k scan".
test: system-packages-test $(DEV_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope $(PYTEST_ARGS)

# The edit-test loop: needs no system package (-m "not slow": see tests/conftest.py).
test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadscope -m "not slow" $(PYTEST_ARGS)

# veraPDF, the PDF/UA-1 validator (Java 17, from Maven Central) into .cache/verapdf:
# then tests/test_pdf.py validates both handouts with it (skipped, saying so, without it).
.PHONY: verapdf
verapdf:
	mvn -B -q -f tools/verapdf/pom.xml dependency:copy-dependencies -DoutputDirectory=$(CURDIR)/.cache/verapdf

# Lighthouse 12 (mobile preset) on every page of a fresh build, served gzip-compressed
# on 127.0.0.1: a Markdown table of the four scores, TBT and LCP. Performance is a
# timing, so it is reported here, not tested. Lighthouse comes from npm (.cache/npm-tools).
lighthouse: $(DEV_STAMP)
	$(BIN)/mkdocs build --strict --quiet -d test-artifacts/lighthouse-site
	$(BIN)/python -m tests.browser.web_tools lighthouse test-artifacts/lighthouse-site test-artifacts/lighthouse.md

# -- contributor checks ------------------------------------------------------
# `make check` runs every check-* step below through tools/run_checks.py,
# which goes on after a failed step and ends with a summary. The pre-commit
# hooks and the GitHub workflows call these same targets. All offline.
CHECK_SITE ?= site
PY_CODE    := macros pdf bench tests tools
# Site files a skipped step would have written (the PDF when WeasyPrint's
# system libraries are missing locally); links to them are then not errors.
LINKS_ALLOW_MISSING ?=
CHECK_STEPS := citations build handout links markdown spelling ruff format types workflows

.PHONY: check-citations check-build check-handout check-links check-markdown check-spelling \
        check-ruff check-format check-types check-workflows check-external-links

check: $(DEV_STAMP)
	@$(BIN)/python tools/run_checks.py --make "$(MAKE)" $(CHECK_STEPS)

check-citations: $(SITE_STAMP)
	$(BIN)/python -m macros check

check-build: $(SITE_STAMP)
	$(BIN)/python tools/build_site.py -d $(CHECK_SITE)

# python -m pdf exits 2 when a system library is missing: tools/run_checks.py
# then reports the step as skipped on a contributor's machine (failed on CI).
check-handout: $(SITE_STAMP)
	$(BIN)/python -m pdf -d $(CHECK_SITE) --html $(CHECK_SITE)/print.html || { status=$$?; \
	  [ $$status -ne 2 ] || echo "handout: cannot be built on this machine"; exit $$status; }

# After `make check-build` alone the site has no handout PDF (check-handout
# writes it): links to it are then not checked, and the step says so.
check-links: $(SITE_STAMP)
	@allow='$(LINKS_ALLOW_MISSING)'; \
	if [ -z "$$allow" ] && ! ls $(CHECK_SITE)/handout*.pdf >/dev/null 2>&1; then allow='handout*.pdf'; \
	  echo "links: no handout PDF in $(CHECK_SITE)/ (make check-handout writes it), so links to it are not checked"; fi; \
	echo "$(BIN)/python tools/check_links.py $(CHECK_SITE)$${allow:+ --allow-missing '$$allow'}"; \
	$(BIN)/python tools/check_links.py $(CHECK_SITE) $${allow:+--allow-missing "$$allow"}

check-markdown: $(DEV_STAMP)
	$(BIN)/python tools/lint_markdown.py

check-spelling: $(DEV_STAMP)
	$(BIN)/python tools/check_spelling.py

check-ruff: $(DEV_STAMP)
	$(BIN)/ruff check --output-format concise $(PY_CODE)

check-format: $(DEV_STAMP)
	@$(BIN)/ruff format --check --output-format concise $(PY_CODE) || { \
	  echo "format: run '$(BIN)/ruff format FILE' on each file listed above (or '$(BIN)/ruff format --diff FILE' to see what changes)"; exit 1; }

check-types: $(DEV_STAMP)
	$(BIN)/mypy

check-workflows: $(DEV_STAMP)
	$(BIN)/python tools/check_workflows.py

# Not part of `make check`: it needs the internet. The weekly workflow runs it.
check-external-links: $(SITE_STAMP)
	$(BIN)/python tools/check_external_links.py --site $(CHECK_SITE) $(EXTERNAL_LINKS_ARGS)

# Build-time benchmark (issue 7): writes bench/RESULTS.md (~20 min on 2 cores).
#   make bench BENCH_ARGS="--sizes 200x10x20000 --repeats 5"
bench: $(DEV_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.csl_cost --site 50x10x2000 --output bench/CSL_COST.md

clean:
	rm -rf site .pytest_cache
