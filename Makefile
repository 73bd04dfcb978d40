# Set-up, run and test. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app run
PYBABEL := $(VENV)/bin/pybabel
STAMP  := $(VENV)/.installed

.PHONY: run worker test install install-dev translations extract-messages db demo lint format clean

# The web server and, beside it, the worker that runs exports and sends e-mails; Ctrl+C
# stops both.
run: install translations db demo
	@$(FLASK) worker --workers 1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) run.py

worker: install db
	$(FLASK) worker

test: install-dev translations
	bash scripts/test.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(VENV)/bin/python requirements.txt
	bash scripts/system-libraries.sh
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(STAMP)-dev: $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(STAMP)

install-dev: $(STAMP)-dev

translations: install
	$(PYBABEL) compile -d consult/translations

# After adding interface strings: extract them and merge into the catalogues.
extract-messages: install
	$(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext -k _ln:1,2 -k lazy_ngettext:1,2 -k _p:1c,2 -k lazy_pgettext:1c,2 \
		--no-location --sort-output --project Consult -o consult/translations/messages.pot .
	$(PYBABEL) update -N --ignore-obsolete -i consult/translations/messages.pot -d consult/translations

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) instance test-artifacts
