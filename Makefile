# Latido — the two commands a new developer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export QT_QPA_PLATFORM ?=

.PHONY: run test lint bench screenshots translations demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

## run: create .venv, install, seed the demo workspace on first run, open the app
run: $(STAMP) translations
	@$(BIN)/python -m compileall -q desktop drafting storage  # an editable install has no bytecode: start-up reads it
	$(BIN)/latido demo --if-empty
	$(BIN)/latido

demo: $(STAMP)
	$(BIN)/latido demo --reset

## lint: ruff, mypy --strict on storage/ and drafting/, import-linter layering
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## test: install what tests need, lint, then run the whole suite
test: lint translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## bench: speed targets, printed as ratios against a baseline measured in the same run
bench: $(DEV_STAMP)
	$(BIN)/python -m bench

## screenshots: the real window under Xvfb, saved to screenshots/ and docs/screenshots/
screenshots: $(STAMP) translations
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python -m desktop.screenshots screenshots
	mkdir -p docs/screenshots && cp screenshots/*.png docs/screenshots/

## translations: compile the Spanish interface (assets/translations/latido_es.ts -> .qm); after changing strings, refresh
## the .ts with: $(BIN)/pyside6-lupdate desktop/*.py -no-obsolete -locations none -target-language es -ts assets/translations/latido_es.ts
translations: assets/translations/latido_es.qm

assets/translations/latido_es.qm: assets/translations/latido_es.ts | $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
