"""Oscar staff find the videos in Oscar's own dashboard, and the video actions on Oscar's Product admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from sora_products.admin import VideoProductAdminMixin
from sora_products.contrib.oscar import dashboard
from tests.oscar_shop.conftest import Product, grant, oscar_product

pytestmark = pytest.mark.django_db

VIDEOS_URL = "/admin/sora_products/productvideo/"
COSTS_URL = "/admin/sora_products/spend/"
GENERATE_URL = "/admin/catalogue/product/"


def staff(username: str, *codenames: str, superuser: bool = False):
    user = get_user_model().objects.create_user(username, f"{username}@shop.test", "pw", is_staff=True)
    if superuser:
        user.is_superuser = True
        user.save()
    grant(user, *codenames)
    if "view_product" in codenames:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(content_type__app_label="catalogue", codename="view_product"))
    return get_user_model().objects.get(pk=user.pk)


def dashboard_html(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_entry_shows_each_page_to_staff_allowed_to_open_it(client):
    html = dashboard_html(
        client, staff("lead", "view_productvideo", "view_costs", "generate_productvideo", "view_product")
    )
    assert "Product videos" in html
    for url in (VIDEOS_URL, COSTS_URL, GENERATE_URL):
        assert f'href="{url}"' in html


def test_staff_see_only_the_pages_their_permissions_open(client):
    html = dashboard_html(client, staff("viewer", "view_productvideo"))
    assert f'href="{VIDEOS_URL}"' in html
    assert f'href="{COSTS_URL}"' not in html and f'href="{GENERATE_URL}"' not in html


def test_staff_without_the_apps_permissions_see_no_entry(client):
    html = dashboard_html(client, staff("packer"))
    assert "Product videos" not in html
    assert VIDEOS_URL not in html


def test_the_links_open_for_the_staff_who_see_them(client):
    user = staff("lead2", "view_productvideo", "view_costs", "generate_productvideo", "view_product")
    client.force_login(user)
    for url in (VIDEOS_URL, COSTS_URL, GENERATE_URL):
        assert client.get(url).status_code == 200, url


def test_a_setting_keeps_the_dashboard_as_it_was(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "OSCAR": {"DASHBOARD_NAVIGATION": False}}
    before = list(settings.OSCAR_DASHBOARD_NAVIGATION)
    settings.OSCAR_DASHBOARD_NAVIGATION = [item for item in before if "sora_products" not in item]
    dashboard.add_navigation()
    assert not any("sora_products" in item for item in settings.OSCAR_DASHBOARD_NAVIGATION)


def test_the_entry_is_added_once():
    from django.conf import settings

    dashboard.add_navigation()
    dashboard.add_navigation()
    assert sum("sora_products" in item for item in settings.OSCAR_DASHBOARD_NAVIGATION) == 1


def test_oscars_product_admin_gains_the_generate_action_and_keeps_its_own_options(client):
    model_admin = admin.site.get_model_admin(Product)
    assert isinstance(model_admin, VideoProductAdminMixin)
    assert model_admin.search_fields == ["upc", "title"]  # Oscar's ProductAdmin underneath
    oscar_product()
    client.force_login(staff("boss", superuser=True))
    html = client.get(GENERATE_URL).content.decode()
    assert 'value="generate_videos"' in html


def test_generate_shows_only_to_staff_who_may_also_see_products(client):
    html = dashboard_html(client, staff("maker", "generate_productvideo"))
    assert f'href="{GENERATE_URL}"' not in html  # Oscar's Product admin would refuse them
    assert "Product videos" not in html  # and watching the video list needs view_productvideo


@pytest.mark.parametrize(
    "codenames",
    [
        ("view_productvideo",),
        ("generate_productvideo", "view_product"),
        ("view_costs",),
        ("view_productvideo", "view_costs", "generate_productvideo", "view_product"),
    ],
)
def test_every_link_the_menu_shows_opens(client, codenames):
    user = staff("_".join(codenames)[:30], *codenames)
    html = dashboard_html(client, user)
    shown = [url for url in (VIDEOS_URL, COSTS_URL, GENERATE_URL) if f'href="{url}"' in html]
    assert shown
    for url in shown:
        assert client.get(url).status_code == 200, (codenames, url)


def test_generate_is_not_offered_when_the_product_list_has_no_generate_action(client):
    from oscar.apps.catalogue.admin import ProductAdmin

    original = type(admin.site.get_model_admin(Product))
    admin.site.unregister(Product)
    admin.site.register(Product, ProductAdmin)  # "PRODUCT_ADMIN": False and no mixin of the shop's own
    try:
        html = dashboard_html(client, staff("boss2", superuser=True))
        assert f'href="{VIDEOS_URL}"' in html and f'href="{GENERATE_URL}"' not in html
    finally:
        admin.site.unregister(Product)
        admin.site.register(Product, original)


def readme_admin_snippet() -> str:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## django-oscar", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```python\n")[2].split("```")[0]
    return "\n".join(line[2:] if line.startswith("  ") else line for line in snippet.splitlines())


def test_the_readmes_admin_example_runs_as_written_on_oscars_registered_admin():
    from oscar.apps.catalogue.admin import ProductAdmin

    original = type(admin.site.get_model_admin(Product))
    admin.site.unregister(Product)
    admin.site.register(Product, ProductAdmin)  # as a shop has it with "PRODUCT_ADMIN": False
    try:
        namespace: dict = {}
        exec(compile(readme_admin_snippet(), "README.md", "exec"), namespace)
        registered = admin.site.get_model_admin(Product)
        assert type(registered) is namespace["VideoProductAdmin"]
        assert isinstance(registered, VideoProductAdminMixin)
    finally:
        admin.site.unregister(Product)
        admin.site.register(Product, original)
