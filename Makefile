# The two commands: `make run` (demo site at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: run test install migrate demo clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One environment for running and testing: the dev set includes localstripe, which `make run` needs.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Accessibility checkers for the tests (W3C Nu validator, axe-core), pinned in package-lock.json.
# Skipped without npm: those tests then skip with one line.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: HTML-validation and axe tests will be skipped"; fi

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bootstrap_dev  # loads the demo once; points the Site at SITE_URL (http://127.0.0.1:8000)
	$(BIN)/honcho -f Procfile.dev start

test: $(STAMP) node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/python manage.py load_demo

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media private_media var staticfiles test-artifacts
