# The two commands of the README: `make run` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format data bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m explorer.assets
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py

browser:
	@bash scripts/ensure-chromium

test: $(STAMP) browser
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

bench: $(STAMP) browser
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) static/vendor
