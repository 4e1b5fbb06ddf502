# Kenes: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_WORKERS ?= auto

.PHONY: run test bench lint install browser-deps demo serve messages clean oracles

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## make run: set up everything, load the demo, serve on http://127.0.0.1:8000
run: install
	$(BIN)/kenes migrate --noinput
	$(BIN)/kenes demo
	$(BIN)/kenes serve

## make test: install what the tests need and run the whole suite
##   (SQLite by default; set DATABASE_URL=postgres://… for PostgreSQL, as CI does)
test: install browser-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --create-db --durations=20

# Browser tests drive Debian's Chromium. Install it when we can (root with apt-get);
# otherwise those tests skip and say why.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## make bench: the benchmarks (bench/README.md); installs Debian's wrk for the signing load when it can
bench: install
	@if ! command -v wrk >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's wrk for the petitions benchmark…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/kenes bench
	$(BIN)/djlint --lint src/kenes
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/python -m kenes.common.i18ncheck

## make messages: refresh the .po catalogues from the source (needs GNU gettext) and compile them
messages: install
	cd src/kenes && ../../$(BIN)/django-admin makemessages --settings=kenes.settings.dev -l kk -l ru -l ky -l en --no-obsolete --add-location file
	$(BIN)/python -m kenes.common.i18ncheck --compile

## make oracles: recompute the pabutools / pabulib-checker reference outcomes of the PB engine
##   (a separate environment, since pabutools depends on the proprietary gurobipy: see scripts/README.md)
PABUTOOLS_PYTHON ?= /tmp/pabuenv/bin/python
oracles:
	@test -x "$(PABUTOOLS_PYTHON)" || { echo "PABUTOOLS_PYTHON must point to a python with pabutools==1.2.3 and pabulib-checker==1.0.8 (see scripts/README.md)"; exit 1; }
	$(PABUTOOLS_PYTHON) scripts/pb_oracles.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
