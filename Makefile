# Two commands: `make run` brings the whole system up, `make test` runs every test.
# Both need only Python 3.11 and Node 20; PostgreSQL and Redis are used when
# DATABASE_URL and REDIS_URL point at them (see the README).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: install run test fuzz bench assets lint clean

install: $(VENV)/.installed static/build/app.css

$(VENV)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint requirements.lock --editable '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/app.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run build

assets: node_modules/.installed
	npm run build

run: export DEBUG ?= true
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "\nPermanence panel: open http://127.0.0.1:8000/ and sign in with a demo login above.\n"
	$(BIN)/honcho --procfile Procfile.dev start

# A developer's run reuses the last run's test database (--reuse-db, in pyproject.toml).
# CI (CI=true) always starts from a new one, and runs the browser journeys beside the rest,
# each with its own test database and Redis keys (TEST_RUN in tests/settings.py): the run
# takes the longer of the two rather than both, on two cores about 15 minutes, not 24.
test: install
ifeq ($(CI),true)
	$(BIN)/pytest --create-db --ignore=tests/e2e -p no:cacheprovider & rest=$$!; \
	TEST_RUN=browser $(BIN)/pytest --create-db -p no:cacheprovider tests/e2e; browser=$$?; \
	wait $$rest; rest=$$?; \
	echo "browser journeys: exit $$browser; the rest: exit $$rest"; \
	test $$browser -eq 0 && test $$rest -eq 0
else
	$(BIN)/pytest
endif

# The suite fuzzes every form with a few examples each; this tries many more.
FUZZ_EXAMPLES ?= 200
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz -q

# Issue 17's scale run first (tests/bench/scale): PostgreSQL databases of 1,000, 10,000 and
# 50,000 children, kept between runs, served by gunicorn as production is; one table, and
# var/bench/scale.json. Needs DATABASE_URL on PostgreSQL (its server makes the databases),
# REDIS_URL, and wrk. `make bench-quick` runs the 10,000 alone.
bench: install
	$(BIN)/python -m tests.bench.scale
	BENCH=full $(BIN)/pytest tests/bench --benchmark-enable -s -q

.PHONY: bench-quick
bench-quick: install
	$(BIN)/python -m tests.bench.scale --sizes 10000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static/build var
