# quizapp: `make run` serves the app on SQLite with the bundled bank; `make test` runs every check.
# Both create .venv by themselves on a fresh machine.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
TEMPLATES := $(shell find templates */templates -name '*.html' 2>/dev/null)
DEV_ENV := DEBUG=true

.PHONY: run test test-pg lint fmt messages makemessages bench loadtest docker-check clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $@

run: messages
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py load_bank
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djade --check $(TEMPLATES)
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/hadolint Dockerfile

test: lint messages
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# The same suite against PostgreSQL (DATABASE_URL defaults to the local server).
test-pg: messages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# Compile the translation catalogues (locale/*/LC_MESSAGES/*.po -> .mo; the .mo files are not
# in git). compilemessages needs gettext's msgfmt: Debian's `gettext` package.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install gettext)" >&2; exit 1; }
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=static/vendor --ignore=tests

# Re-extract the translatable strings into locale/ja (then translate the new entries).
makemessages: $(STAMP)
	$(DEV_ENV) $(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=node_modules --ignore=static/vendor --ignore=tests

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	-$(VENV)/bin/djade $(TEMPLATES)

# Benchmarks side by side in one run (needs wrk, PostgreSQL and Chromium); see bench/run.py.
bench: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(PY) bench/run.py

# Exam day: a cohort sits a full mock against gunicorn on PostgreSQL with the shared Redis
# cache, then the database is checked for lost answers (see loadtest/run.py). A few minutes;
# CI runs a small cohort: LOADTEST_ARGS="--users 100 --window 10 --think-factor 60 --no-p95".
LOADTEST_ARGS ?= --users 1000 --window 60 --think-factor 10
loadtest: messages
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

# Build the image for real and run it against the local PostgreSQL (see bin/docker-check).
docker-check:
	bin/docker-check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
