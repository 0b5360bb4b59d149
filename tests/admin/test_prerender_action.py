"""The admin's "Pre-render try-on videos within a budget": what the budget buys and whom it serves, then confirm."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model

from sora_products.models import Origin, ProductVideo
from tests.admin.conftest import product_url
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def run(client, products, **extra):
    data = {"action": "prerender_try_on", ACTION_CHECKBOX_NAME: [p.pk for p in products], **extra}
    return client.post(product_url("changelist"), data, follow=True)


def test_the_page_says_what_the_budget_buys_before_anything_is_made(admin_client, no_auto):
    dress = make_product(category="apparel")
    html = run(admin_client, [dress], sora_budget="4").content.decode()
    assert "$4.00 buys 5 videos at $0.80 each; they serve an estimated" in html
    assert "of shoppers at once (now 0%)." in html
    assert not ProductVideo.objects.filter(preset="worn").exists()


def test_confirming_makes_exactly_those_videos(admin_client, no_auto):
    dress = make_product(category="apparel")
    response = run(admin_client, [dress], sora_budget="4", sora_confirm="1")
    made = ProductVideo.objects.filter(preset="worn")
    assert made.count() == 5 and {v.origin for v in made} == {Origin.COMMAND}
    assert "They are being made." in response.content.decode()


def test_a_budget_that_is_not_a_number_is_explained_and_buys_nothing(admin_client, no_auto):
    dress = make_product(category="apparel")
    html = run(admin_client, [dress], sora_budget="twenty", sora_confirm="1").content.decode()
    assert "Enter the budget as a number of dollars" in html
    assert not ProductVideo.objects.filter(preset="worn").exists()


def test_staff_without_the_generate_permission_get_no_such_action(client, admin_client, no_auto):
    make_product(category="apparel")
    assert 'value="prerender_try_on"' in admin_client.get(product_url("changelist")).content.decode()
    staff = get_user_model().objects.create_user("viewer", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_product"))
    client.force_login(staff)
    html = client.get(product_url("changelist")).content.decode()
    assert 'value="prerender_try_on"' not in html
