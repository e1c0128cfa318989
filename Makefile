# qujat: `make demo` and `make test` do all set-up themselves (idempotent; a second run takes seconds).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SAMPLES := samples/files
DEMO_OUT := demo-out
CORPUS ?= ../shared/corpus
PYTEST_ARGS ?=

# Debian packages. The regular LibreOffice variants, not the -nogui ones: those ship no .ui files, and
# LibreOffice 7.4 then crashes loading any Writer document with comments over UNO.
APT_PACKAGES := \
	libreoffice-writer libreoffice-calc libreoffice-impress libreoffice-draw libreoffice-math \
	python3-uno python3-venv python3-pip bubblewrap \
	ghostscript tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus tesseract-ocr-eng \
	qpdf poppler-utils fontconfig \
	fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-liberation2 fonts-crosextra-carlito \
	fonts-crosextra-caladea \
	chromium redis-server
# chromium: the review page is tested in a real browser; redis-server: the Celery broker in tests
# (never enabled as a service by qujat; tests start their own on a loopback port).

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup apt venv demo test test-all check bench bench-scale samples doctor pdfa-corpus corpus-robustness clean

setup: apt venv

# Installs only when a package is missing, so a second run costs one dpkg query.
apt:
	@missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(APT_PACKAGES) 2>/dev/null \
		| awk '$$NF == "installed" {print $$1}' | sort | comm -13 - <(tr ' ' '\n' <<< "$(APT_PACKAGES)" | sed '/^$$/d' | sort)); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(APT_PACKAGES); \
	fi

venv: $(VENV)/.stamp

# Debian's python3-uno imports only from /usr/bin/python3, hence --system-site-packages.
$(VENV)/.stamp: pyproject.toml constraints.txt Makefile
	@[ -x $(PY) ] || /usr/bin/python3 -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,distributed]'
	@touch $@

samples: venv
	$(PY) -m samples $(SAMPLES)

# Converts the good samples (final profile: ODF + PDF/A-2b), then shows the bad ones being refused.
demo: setup samples
	@echo; echo "== Converting the sample documents (profile final: ODF + PDF/A-2b) =="
	@echo "(the memo keeps tracked changes and comments: it converts and is flagged for review, exit 11)"
	$(VENV)/bin/qujat convert $(SAMPLES)/good/* --out $(DEMO_OUT) --overwrite || [ $$? -eq 11 ]
	@echo; echo "== Bad inputs: each is refused with a reason (exit codes 2 and 8 are expected here) =="
	-$(VENV)/bin/qujat convert $(SAMPLES)/bad/* --out $(DEMO_OUT)/bad --overwrite
	@echo; echo "Outputs and <name>.qujat.json reports: $(DEMO_OUT)/   refused inputs' reports: $(DEMO_OUT)/bad/"

test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Also the slow tests and the corpus tests (needs ../shared/corpus).
test-all: setup
	$(VENV)/bin/pytest --run-slow --run-corpus $(PYTEST_ARGS)

check: setup
	$(VENV)/bin/ruff check converter validators watch samples tests bench
	$(VENV)/bin/mypy converter validators watch

doctor: setup
	$(VENV)/bin/qujat doctor

# Naive soffice loop vs a warm unoserver vs qujat, on the samples or CORPUS=dir.
bench: setup samples
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[bench]'
	$(PY) bench/convert_bench.py $(if $(filter command line,$(origin CORPUS)),$(CORPUS),$(SAMPLES)/good)

# The same documents through one Celery worker and through two (private redis-server on loopback).
bench-scale: setup
	$(PY) bench/scale_bench.py

# PDF/A validator accuracy and speed on the veraPDF corpus; speed is the median of PDFA_REPEAT passes,
# each meeting the files afresh (verdicts come from the first).
PDFA_REPEAT ?= 5
pdfa-corpus: setup
	$(PY) bench/pdfa_corpus.py --repeat $(PDFA_REPEAT) $(CORPUS)

# Every office document under CORPUS must end converted or quarantined, with no stall and no leftover soffice.
corpus-robustness: setup
	$(PY) bench/robustness.py $(CORPUS)

clean:
	rm -rf $(DEMO_OUT) $(SAMPLES) bench-out .pytest_cache .mypy_cache .ruff_cache *.egg-info
