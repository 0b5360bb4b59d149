"""People read presets by name, in their language, wherever a video is described."""

from __future__ import annotations

import pytest
from django.utils import translation

from sora_products import jobs
from sora_products.labels import preset_label
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_a_video_describes_itself_with_its_presets_name_in_the_readers_language():
    video, _created = jobs.request_video(make_product(), "showcase")

    assert str(video) == f"Showcase, portrait #{video.pk} (Requested)"
    with translation.override("ja"):
        assert str(video).startswith(f"ショーケース（縦） #{video.pk}（") and "Requested" not in str(video)


def test_a_shops_own_label_wins_and_unnamed_presets_are_made_readable(settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PRESETS": {"showcase": {"LABEL": "Hero clip"}, "spring_lookbook": {"AUTO": False}},
    }

    assert preset_label("showcase") == "Hero clip"
    assert preset_label("spring_lookbook") == "Spring lookbook"
    assert preset_label("showcase_wide") == "Showcase, landscape"
