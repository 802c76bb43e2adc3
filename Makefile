# The two commands of the README: `make run` and `make test`. Each sets up what it needs.
# Hosting: `make serve REPLICAS=N PORT=P` (replicas behind HAProxy), `make load` (benchmark).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# make serve
REPLICAS ?= 2
PORT ?= 8501
BASE_PATH ?=
# make load (URL: an app already running, e.g. the proxy; empty: the benchmark starts one;
# PIDS: its server processes, for CPU and memory, e.g. the replicas `make serve` printed)
SESSIONS ?= 50
THINK ?= 5
DURATION ?= 120
RAMP ?= 10
URL ?=
PIDS ?=

.PHONY: run test lint format data bench load serve browser haproxy lock clean i18n

# Checks Python >= 3.11 and a working venv module first; a failed set-up leaves no .venv.
$(BIN)/python:
	@bash scripts/check-python $(PYTHON)
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# Installs exactly the lock file (every package pinned, with hashes).
$(STAMP): requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m explorer.assets
	$(BIN)/python -m explorer.downloads
	$(BIN)/pybabel -q compile -d explorer/locale -D messages
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py

browser:
	@bash scripts/ensure-chromium

haproxy:
	@bash scripts/ensure-haproxy

test: $(STAMP) browser haproxy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m geodata validate
	STALINS_SHADOW_MAP=st_folium $(BIN)/python -m pytest -q tests/test_browser.py
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

data: $(STAMP)
	$(BIN)/python -m geodata build
	$(BIN)/python -m geodata validate

# After marking new interface strings with _(): refresh the catalogues, then translate the new
# entries in explorer/locale/{fa,ru}/LC_MESSAGES/messages.po (tests/test_catalogues.py checks).
i18n: $(STAMP)
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg --no-location --sort-output \
		-o explorer/locale/messages.pot .
	$(BIN)/pybabel update -i explorer/locale/messages.pot -d explorer/locale -D messages \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d explorer/locale -D messages

bench: $(STAMP) browser
	$(BIN)/python -m tests.bench

load: $(STAMP)
	$(BIN)/python -m tests.load --sessions $(SESSIONS) --think $(THINK) \
		--duration $(DURATION) --ramp $(RAMP) $(if $(URL),--url $(URL)) \
		$(foreach pid,$(PIDS),--pid $(pid))

serve: $(STAMP) haproxy
	$(BIN)/python scripts/serve.py --replicas $(REPLICAS) --port $(PORT) \
		$(if $(BASE_PATH),--base-path $(BASE_PATH))

lock: $(STAMP)
	bash scripts/lock

clean:
	rm -rf $(VENV) static/vendor static/downloads
