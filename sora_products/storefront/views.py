"""The try-on form without JavaScript: POST, then back to the product page showing the video's status.

Same rules as the JSON API (CSRF by Django's middleware, the same throttles, cap and budget);
the product page reads ``?try_on=<video id>``, ``?try_on_error=<code>`` or, for an ask the generation
policy did not make, ``?try_on_height=&try_on_size=&try_on_scene=`` to show the outcome.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from sora_products import tryon
from sora_products.api.serializers import TryOnAskSerializer
from sora_products.api.throttles import TryOnNetworkThrottle, TryOnSessionThrottle, client_ip, first_refusal
from sora_products.storefront import product_url, resolve_product_ref

ANCHOR = "#sora-try-on"


def back_to(product, **params: object) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{product_url(product)}?{urlencode(params)}{ANCHOR}")


@require_POST
@csrf_protect
def try_on_form(request: HttpRequest) -> HttpResponse:
    """Record a try-on ask from the plain HTML form and redirect back to the product."""
    if not tryon.is_enabled():
        raise Http404(tryon.disabled_message())
    product = resolve_product_ref(request.POST.get("product", ""))
    if product is None:
        raise Http404(_("This product was not found."))
    # The network limit first; only then a session is started, so floods can't fill the session table.
    if first_refusal(request, [TryOnNetworkThrottle()]) is not None:
        return back_to(product, try_on_error="throttled")
    if not request.session.session_key:
        request.session.save()
    if first_refusal(request, [TryOnSessionThrottle()]) is not None:
        return back_to(product, try_on_error="throttled")
    serializer = TryOnAskSerializer(data=request.POST)
    if not serializer.is_valid():
        return back_to(product, try_on_error="invalid")
    try:
        ask = tryon.request_try_on(
            product,
            serializer.validated_data["profile"],
            session_key=request.session.session_key,
            ip_hash=tryon.hash_ip(client_ip(request)),
        )
    except tryon.TryOnRefused as exc:
        return back_to(product, try_on_error=exc.code)
    if ask.video is None:  # the generation policy did not make the bucket: the page shows what plays instead
        profile = ask.profile
        return back_to(product, try_on_height=profile.height_cm, try_on_size=profile.size, try_on_scene=profile.scene)
    return back_to(product, try_on=ask.video.pk)
