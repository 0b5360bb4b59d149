"""Whether a product's photo can become a video, before anything is asked for: for staff and for the try-on.

The product still saves (a broken photo never breaks a save); this only reads the photo the way the
worker will, once per photo identity (cached), so a page view costs a cache read. The admin tells staff
why; the storefront offers no try-on for such a product (no size or setting could help).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext as _

from sora_products.catalog import RegistrationError, get_adapter
from sora_products.conf import app_settings
from sora_products.references import ReferenceImageError, build_reference

CHECK_SIZE = (360, 640)  # small: every problem of the photo shows up, the decode stays cheap
CACHE_SECONDS = 24 * 3600
UNREADABLE_CACHE_SECONDS = 5 * 60


def photo_problem(product: models.Model) -> str | None:
    """A sentence for staff when the product's photo cannot be made into a reference image, else None."""
    try:
        adapter = get_adapter(product)
        photo = adapter.get_source_image(product)
        key = adapter.get_source_key(product)
    except RegistrationError:
        return None
    if photo is None:
        return None
    cache_key = "sora_products:photo-check:" + hashlib.sha256(key.encode()).hexdigest()
    found = cache.get(cache_key)
    if found is None:
        found = _check(photo)
        # A storage that failed once may answer the next time: try again soon, not tomorrow.
        cache.set(cache_key, found, UNREADABLE_CACHE_SECONDS if found == ("unreadable",) else CACHE_SECONDS)
    # The cache keeps what was found, untranslated: staff in another language read it in theirs.
    if found == ():
        return None
    if found == ("unreadable",):
        return _("No video can be made of this product: its photo could not be read from storage; upload it again.")
    _kind, code, message, params = found
    reason = ReferenceImageError(code, message, params).message
    return _("No video can be made of this product: %(reason)s") % {"reason": reason}


def _check(photo) -> tuple:
    """() when the photo can be used, else what is wrong with it, in a form that pickles and translates later."""
    try:
        build_reference(photo, CHECK_SIZE, image_format="JPEG", max_pixels=int(app_settings.MAX_IMAGE_PIXELS))
    except ReferenceImageError as exc:
        return ("image", exc.code, exc.args[1], exc.params)
    except OSError:
        return ("unreadable",)
    return ()
