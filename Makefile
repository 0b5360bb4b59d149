# Two commands for a fresh clone: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXTRAS ?= emulator,postgres,redis,demo,test,oscar

.PHONY: install demo scale-demo test schema test-oscar bench lint messages wheel clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[$(EXTRAS)]"
	@touch $@

install: $(STAMP)

demo: install
	$(PY) manage.py demo

# The demo with every file on an S3 store (SeaweedFS's S3 gateway, started and stopped with it).
scale-demo: install
	VENV=$(VENV) bash demo_shop/scale_demo.sh

# The suite, then the django-oscar shop in tests/oscar_shop (a Django project of its own).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-oscar

test-oscar: install
	$(PY) -m pytest --ds=tests.oscar_shop.settings tests/oscar_shop $(PYTEST_ARGS)
	$(PY) -m pytest --ds=tests.oscar_shop.forked_settings tests/oscar_shop/forked $(PYTEST_ARGS)

bench: install
	$(PY) bench/run.py

lint: install
	$(PY) -m ruff check .

# The app's catalogue needs no settings, so django-admin makes it outside any project. Prompt templates
# are English content for the provider, not UI.
# The demo's catalogue is its LOCALE_PATHS (demo_shop/locale), so it is made with the demo's settings.
DJANGO_ADMIN := env -u DJANGO_SETTINGS_MODULE $(abspath $(VENV))/bin/django-admin
messages: install
	cd sora_products && $(DJANGO_ADMIN) makemessages -l ja --no-obsolete --ignore 'templates/sora_products/prompts/*'
	cd sora_products && $(DJANGO_ADMIN) compilemessages -l ja
	cd demo_shop && $(abspath $(PY)) ../manage.py makemessages -l ja --no-obsolete
	cd demo_shop && $(abspath $(PY)) ../manage.py compilemessages -l ja

# The API's OpenAPI schema, committed so a change to it shows in review (tests/storefront/test_schema.py checks it).
schema: install
	DJANGO_SETTINGS_MODULE=demo_shop.settings $(PY) -c "import django; django.setup(); \
	from sora_products.api.schema import as_yaml; open('sora_products/api/openapi.yaml', 'w').write(as_yaml())"

wheel: install
	rm -rf dist && $(PY) -m build --wheel --outdir dist . >/dev/null && $(PY) .ci/check_wheel.py dist/*.whl

clean:
	rm -rf dist build .test-media test-artifacts .test-db*.sqlite3 .scale-demo
