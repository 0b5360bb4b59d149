# Two commands for a fresh clone: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXTRAS ?= emulator,postgres,redis,demo,test

.PHONY: install demo test bench lint messages wheel clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[$(EXTRAS)]"
	@touch $@

install: $(STAMP)

demo: install
	$(PY) manage.py demo

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/run.py

lint: install
	$(PY) -m ruff check .

messages: install
	cd sora_products && ../$(PY) -m django makemessages -l ja --no-obsolete && ../$(PY) -m django compilemessages -l ja
	cd demo_shop && ../$(PY) ../manage.py makemessages -l ja --no-obsolete && ../$(PY) ../manage.py compilemessages -l ja

wheel: install
	rm -rf dist && $(PY) -m build --wheel --outdir dist . >/dev/null && $(PY) .ci/check_wheel.py dist/*.whl

clean:
	rm -rf dist build .test-media test-artifacts .test-db*.sqlite3
