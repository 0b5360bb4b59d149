"""Who sees which arm: stable per visitor, balanced, private (DNT, consent, bots), and free on listing pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo_shop.catalog.models import Product
from sora_products.experiments.assignment import VISITOR_COOKIE, arm_of
from sora_products.experiments.models import Scope
from tests.experiments.helpers import BROWSER, photo_vs_video, visitor, visitor_in
from tests.storefront.helpers import dress, ready_video

CHI2_DF1_P001 = 6.635  # the chi-square value a fair split passes 99 % of the time (one degree of freedom)


def chi_square(observed: list[int], expected: list[float]) -> float:
    return sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))


@pytest.mark.parametrize("share", [0.5, 0.2])
def test_ten_thousand_visitors_split_as_the_share_says_and_each_keeps_its_arm(share):
    arms = [arm_of(7, visitor(n), share) for n in range(10_000)]
    treated = arms.count("treatment")
    assert chi_square([treated, 10_000 - treated], [10_000 * share, 10_000 * (1 - share)]) < CHI2_DF1_P001
    assert [arm_of(7, visitor(n), share) for n in range(10_000)] == arms  # the same visitor, the same arm


def test_a_visitors_arms_in_two_experiments_are_independent():
    pairs = [(arm_of(1, visitor(n), 0.5), arm_of(2, visitor(n), 0.5)) for n in range(10_000)]
    table = [pairs.count((a, b)) for a in ("control", "treatment") for b in ("control", "treatment")]
    chi2 = chi_square(table, [2500.0] * 4)
    assert chi2 < 11.345, table  # three degrees of freedom, p = 0.01


def page(client: Client, product: Product, **headers) -> str:
    return client.get(product.get_absolute_url(), headers={"User-Agent": BROWSER, **headers}).content.decode()


@pytest.mark.django_db
def test_the_control_sees_the_photo_only_and_the_treatment_the_video_both_marked():
    product = dress()
    shown = f'data-video-id="{ready_video(product).pk}"'
    experiment = photo_vs_video()
    control, treatment = Client(), Client()
    control.cookies[VISITOR_COOKIE] = visitor_in(experiment, "control")
    treatment.cookies[VISITOR_COOKIE] = visitor_in(experiment, "treatment")

    shown_control, shown_treatment = page(control, product), page(treatment, product)

    assert shown not in shown_control and 'data-sora-arm="control"' in shown_control
    assert shown in shown_treatment and 'data-sora-arm="treatment"' in shown_treatment
    again = page(control, product)
    assert 'data-sora-arm="control"' in again and shown not in again  # stable across visits


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"DNT": "1"},
        {"Sec-GPC": "1"},
        {"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"},
        {"User-Agent": ""},
    ],
    ids=["dnt", "gpc", "bot", "no-agent"],
)
def test_do_not_track_privacy_control_and_bots_see_the_normal_page_and_are_in_no_experiment(headers):
    product = dress()
    shown = f'data-video-id="{ready_video(product).pk}"'
    experiment = photo_vs_video()
    client = Client()
    client.cookies[VISITOR_COOKIE] = visitor_in(experiment, "control")
    html = page(client, product, **headers)
    assert shown in html and "data-sora-experiment" not in html


@pytest.mark.django_db
def test_a_consent_function_decides_and_dnt_can_be_switched_off(settings):
    product = dress()
    ready_video(product)
    experiment = photo_vs_video()
    client = Client()
    client.cookies[VISITOR_COOKIE] = visitor_in(experiment, "control")
    options = settings.SORA_PRODUCTS.get("EXPERIMENTS", {})
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "EXPERIMENTS": {**options, "CONSENT": "tests.experiments.consent.from_cookie", "HONOUR_DNT": False},
    }
    assert "data-sora-experiment" not in page(client, product)  # no consent yet
    client.cookies["consent"] = "yes"
    assert 'data-sora-arm="control"' in page(client, product)
    assert 'data-sora-arm="control"' in page(client, product, DNT="1")  # the shop chose not to honour DNT


@pytest.mark.django_db
def test_an_experiment_adds_no_query_per_product_on_the_listing(client):
    def listing(count: int, marked: bool) -> int:
        Product.objects.all().delete()
        for number in range(count):
            ready_video(dress(name=f"Dress {number}"))
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("catalog:list"), headers={"User-Agent": BROWSER}).content.decode()
        assert html.count("data-sora-experiment") == (count if marked else 0)
        return len(queries)

    listing(3, marked=False)  # warm: content types and the like, read once per process
    plain = listing(3, marked=False)
    photo_vs_video()
    three, twelve = listing(3, marked=True), listing(12, marked=True)
    # At most the one query a page reads the experiments with (none once a shared cache holds them), none per card.
    assert twelve <= three <= plain + 1


@pytest.mark.django_db
def test_product_and_category_experiments_beat_the_shop_wide_one():
    dress_product, lamp = dress(), dress(name="Lamp", category="home")
    for product in (dress_product, lamp):
        ready_video(product)
    shop = photo_vs_video(name="shop")
    category = photo_vs_video(name="category", scope=Scope.CATEGORY, category="home")
    client = Client()
    client.cookies[VISITOR_COOKIE] = visitor(1)
    assert f'data-sora-experiment="{shop.pk}"' in page(client, dress_product)
    assert f'data-sora-experiment="{category.pk}"' in page(client, lamp)


@pytest.mark.django_db
def test_a_remix_against_its_original_on_one_product():
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import ValidationError

    from sora_products import jobs
    from sora_products.models import ProductVideo
    from tests.storefront.helpers import finish

    product = dress()
    original = ready_video(product)
    ProductVideo.objects.filter(pk=original.pk).update(remote_id="video_original")
    original.refresh_from_db()
    remix = finish(jobs.remix(original, "make the dress navy blue"))
    experiment = photo_vs_video(
        scope=Scope.PRODUCT, content_type=ContentType.objects.get_for_model(product), object_id=str(product.pk),
        control_preset="", control_video=original, treatment_preset="", treatment_video=remix,
    )  # fmt: skip
    experiment.full_clean()
    control, treatment = Client(), Client()
    control.cookies[VISITOR_COOKIE] = visitor_in(experiment, "control")
    treatment.cookies[VISITOR_COOKIE] = visitor_in(experiment, "treatment")
    assert f'data-video-id="{original.pk}"' in page(control, product)
    shown = page(treatment, product)
    assert f'data-video-id="{remix.pk}"' in shown and 'data-sora-arm="treatment"' in shown

    experiment.scope = Scope.SHOP
    with pytest.raises(ValidationError, match="only be an arm of one product"):
        experiment.full_clean()


@pytest.fixture
def shared_cache(settings):
    import os

    from django.core.cache import caches

    from sora_products.experiments.assignment import SHARED_KEY

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["SORA_REDIS_URL"]}
    }
    caches["default"].delete(SHARED_KEY)
    yield caches["default"]
    caches["default"].delete(SHARED_KEY)


def experiment_queries(client, product) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = page(client, product)
    return sum("sora_products_experiment" in q["sql"] for q in queries.captured_queries), html


@pytest.mark.redis
@pytest.mark.django_db
def test_with_a_shared_cache_pages_read_no_experiment_until_one_changes(shared_cache):
    from django.contrib.auth import get_user_model

    product = dress()
    shown = f'data-video-id="{ready_video(product).pk}"'
    client = Client()
    assert experiment_queries(client, product)[0] == 1
    assert experiment_queries(client, product)[0] == 0  # the shop's pages ask the cache, not the database
    experiment = photo_vs_video()
    client.cookies[VISITOR_COOKIE] = visitor_in(experiment, "control")
    count, html = experiment_queries(client, product)
    assert count == 1 and shown not in html and 'data-sora-arm="control"' in html  # the new one is seen at once
    owner = get_user_model().objects.create_user("owner", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(owner)
    admin.post(reverse("admin:sora_products_experiment_end", args=[experiment.pk]), {"keep": "treatment"})
    count, html = experiment_queries(client, product)
    assert count == 1 and shown in html and "data-sora-experiment" not in html  # and its end too


@pytest.mark.django_db
def test_a_product_without_the_treatments_video_is_in_neither_arm():
    product = dress()  # its showcase video is not made yet
    experiment = photo_vs_video()
    for arm in ("control", "treatment"):
        client = Client()
        client.cookies[VISITOR_COOKIE] = visitor_in(experiment, arm)
        assert "data-sora-experiment" not in page(client, product)


@pytest.mark.django_db
def test_two_running_experiments_over_the_same_thing_are_refused():
    from django.core.exceptions import ValidationError

    from sora_products.experiments.models import Experiment

    photo_vs_video(name="first")
    second = Experiment(name="second", scope=Scope.SHOP, control_preset="", treatment_preset="showcase_wide")
    with pytest.raises(ValidationError, match="Another running experiment already covers this"):
        second.full_clean()
    category = Experiment(name="lamps", scope=Scope.CATEGORY, category="home", treatment_preset="showcase")
    category.full_clean()  # a narrower scope is another thing: it takes its own products
