# The two commands: `make site` builds content/ into site/; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check lint typecheck clean schema serve

# `make site BASE_URL=https://example.org/ayuda/` makes absolute URLs (feeds, canonical links).
site: $(STAMP)
	$(BIN)/python build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

check: $(STAMP)
	$(BIN)/python build.py check

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests build.py
	$(BIN)/ruff format --check generator tests build.py

typecheck: $(STAMP)
	$(BIN)/mypy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache

schema: $(STAMP)
	$(BIN)/python -m generator.content.schema_export

serve: $(STAMP)
	$(BIN)/python build.py serve
