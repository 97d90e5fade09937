# The two commands: `make site` builds content/ into site/; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make site` installs what a build needs; the tests' tools come with `make test`.
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The Node tools, pinned in package-lock.json: the checks' (the Nu Html Checker, Lighthouse) and the
# editor's (Decap CMS, decap-server: `make edit`).
NODE_STAMP := node_modules/.installed

.PHONY: site test check lint typecheck clean schema serve audit bench admin edit

# `make site BASE_URL=https://example.org/ayuda/` makes absolute URLs (feeds, canonical links).
site: $(STAMP)
	$(BIN)/python build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

check: $(STAMP)
	$(BIN)/python build.py check

test: $(DEV_STAMP) $(NODE_STAMP) lint typecheck
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check generator tests build.py
	$(BIN)/ruff format --check generator tests build.py

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Only the pinned dependencies are installed: build.py and the tests import `generator` from this
# folder, and an editable install would cost every command a few milliseconds at start-up.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# venv's bundled setuptools is old, unused, and its .pth hook runs at every Python start.
	$(BIN)/python -m pip uninstall --quiet --yes setuptools
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"]))' > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["optional-dependencies"]["dev"]))' > $(VENV)/requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements-dev.txt
	touch $(DEV_STAMP)

# Without npm, a developer's run skips the validity checks; CI (CI=true) fails instead.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ "$$CI" = true ]; then \
		echo "npm is missing: CI needs it for the HTML checker and Lighthouse" >&2; exit 1; \
	else \
		echo "npm is missing: the HTML validity checks will be skipped" >&2; \
	fi

# Lighthouse, mobile, on every language: 100 in all four categories or it fails.
audit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python scripts/audit.py

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache node_modules test-artifacts

schema: $(STAMP)
	$(BIN)/python -m generator.content.schema_export

serve: $(STAMP)
	$(BIN)/python build.py serve

# The admin's forms, generated from the content format for content/'s languages (admin/config.yml).
admin: $(STAMP)
	$(BIN)/python -m generator.content.admin_config

# `serve`, with Decap CMS's forms at http://127.0.0.1:8000/admin/ saving into content/
# (docs/editing.md); Decap CMS and decap-server come from package.json, so this needs npm.
edit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python build.py edit

# Build cost at scale, and the authoring loop's latency; tables on screen, JSON in benchmarks/results/.
bench: $(DEV_STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python benchmarks/build_cost.py
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python benchmarks/edit_to_browser.py
	$(BIN)/python benchmarks/page_budget.py
