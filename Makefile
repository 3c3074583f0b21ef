# polkg: `make run` builds the graph from seeds/ and serves it; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STORE ?= polkg-data

.PHONY: run test install install-test node chromium ontology clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed node

install-test: $(VENV)/.installed-test node chromium

# Front-end packages for the query page (YASGUI, the timeline and network views), from npm.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node: node_modules/.installed

# Headless Chromium for the page's browser test (Debian package; needs root, else the test skips).
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: the browser test will be skipped"; }

run: install
	$(VENV)/bin/polkg build seeds/ --store $(STORE)
	$(VENV)/bin/polkg serve --store $(STORE) --host 127.0.0.1 --port 8000

test: install-test
	$(PY) -m pytest -q

ontology: $(VENV)/.installed
	$(PY) -m polkg.ontology.build

clean:
	rm -rf $(VENV) node_modules $(STORE)
