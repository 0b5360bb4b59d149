"""The Oscar shop with its catalogue forked (a Product of its own), for ``tests/oscar_shop/forked``."""

from tests.oscar_shop.settings import *  # noqa: F401,F403
from tests.oscar_shop.settings import INSTALLED_APPS

FORK = "tests.oscar_shop.forked_catalogue.apps.CatalogueConfig"
INSTALLED_APPS = [FORK if app == "oscar.apps.catalogue.apps.CatalogueConfig" else app for app in INSTALLED_APPS]
# The fork adds no fields, so Oscar's own migrations describe it.
MIGRATION_MODULES = {"catalogue": "oscar.apps.catalogue.migrations"}
