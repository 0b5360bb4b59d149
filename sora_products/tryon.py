"""Shopper try-on asks: coalesced into one shared video per product and profile bucket.

Every ask is recorded as a TryOnRequest, but only an ask for a bucket nobody asked for before
can start a paid generation, and only within the per-session pending cap and the budget.
``prerender`` asks for the common buckets ahead of shoppers, so most of them never wait.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sora_products import budget, jobs
from sora_products.catalog import ProductAdapter, get_adapter
from sora_products.conf import app_settings
from sora_products.models import ACTIVE_STATUSES, Origin, ProductVideo, TryOnRequest, VideoStatus
from sora_products.photo_check import photo_problem
from sora_products.specs import SpecError, TryOnProfile, VideoSpec, bucket_height, build_spec

# The heights and how many of the middle sizes ``common_profiles`` covers, unless TRY_ON says otherwise.
COMMON_HEIGHTS_CM = (155, 175)
COMMON_SIZE_COUNT = 3
DEFAULT_STAND_IN_CM = 10


class TryOnRefused(Exception):
    """The shop won't take this ask now; the message is a sentence for the shopper."""

    status_code = 400
    code = "refused"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class TryOnDisabled(TryOnRefused):
    status_code = 404
    code = "try_on_disabled"


class NotWearable(TryOnRefused):
    status_code = 400
    code = "not_wearable"


class PhotoUnusable(TryOnRefused):
    status_code = 400
    code = "photo_unusable"


class TooManyPending(TryOnRefused):
    status_code = 429
    code = "too_many_pending"


class BudgetSpent(TryOnRefused):
    """A 429 like a provider's quota answer, not a 5xx: the shop is fine, its budget is used up until it resets."""

    status_code = 429
    code = "budget_exhausted"

    def __init__(self, message: str, code: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after


def seconds_until_reset(cap: str) -> int:
    """Seconds until a daily cap's next local midnight, or the monthly cap's first day of next month."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if cap == "monthly":
        reset = (midnight.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    else:
        reset = midnight + datetime.timedelta(days=1)
    return max(1, int((reset - now).total_seconds()))


@dataclass(frozen=True)
class Ask:
    """A recorded ask and the shared video serving it; ``created`` when it started a new generation.

    ``video`` is None when the generation policy did not make the bucket (yet): the ask counts as demand.
    """

    video: ProductVideo | None
    created: bool
    request: TryOnRequest
    product: models.Model
    profile: TryOnProfile


def is_enabled() -> bool:
    return bool(app_settings.TRY_ON.get("ENABLED"))


def preset_name() -> str:
    return app_settings.TRY_ON.get("PRESET") or "worn"


def offers_try_on(product: models.Model, adapter: ProductAdapter | None = None) -> bool:
    """Whether the storefront should show the try-on widget: on, wearable, and a photo the app can use."""
    if not is_enabled():
        return False
    adapter = adapter or get_adapter(product)
    if not adapter.is_wearable(product) or adapter.get_source_image(product) is None:
        return False
    return photo_problem(product) is None


def max_pending() -> int:
    return int(app_settings.TRY_ON.get("MAX_PENDING_PER_SESSION") or 0)


def refusal_message(code: str) -> str:
    """The sentence a shopper reads when an ask is refused, by refusal code (also for ?try_on_error=)."""
    if code == TryOnDisabled.code:
        return _("Try-on videos are not offered in this shop.")
    if code == NotWearable.code:
        return _("This item can't be shown worn; try-on videos are made for clothing only.")
    if code == PhotoUnusable.code:
        return _("This item can't be shown worn right now. Please watch the product video instead.")
    if code == TooManyPending.code:
        limit = max_pending()
        return ngettext(
            "You already have %(count)d video being made. Please wait until it is ready before asking for another one.",
            "You already have %(count)d videos being made. Please wait until one of them is ready before "
            "asking for another one.",
            limit,
        ) % {"count": limit}
    if code == "budget_shopper_daily":
        return _(
            "Today's budget for try-on videos is used up, so we can't make a new one right now. "
            "Please try again tomorrow."
        )
    if code.startswith("budget_"):
        return _(
            "The shop's video budget is used up for now, so we can't make a new try-on video. Please try again later."
        )
    if code == "throttled":
        return _("You have asked for a lot of videos in a short time. Please wait a while and try again.")
    if code == "invalid":
        return _("Choose a height, a size and a setting from the lists, then try again.")
    return _("Your try-on video could not be requested. Please try again later.")


def disabled_message() -> str:
    return refusal_message(TryOnDisabled.code)


def hash_ip(ip: str) -> str:
    """A keyed hash of the shopper's network (IPv6 by /64), so asks can be grouped without storing IPs."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    network = ipaddress.ip_network(f"{address}/{64 if address.version == 6 else 32}", strict=False)
    return salted_hmac("sora_products.tryon.ip", str(network), algorithm="sha256").hexdigest()


def pending_count(session_key: str) -> int:
    """Videos this session asked for that are still being made."""
    return (
        TryOnRequest.objects.filter(session_key=session_key, video__status__in=ACTIVE_STATUSES)
        .values("video_id")
        .distinct()
        .count()
    )


def check_pending(session_key: str) -> None:
    limit = max_pending()
    if limit and pending_count(session_key) >= limit:
        raise TooManyPending(refusal_message(TooManyPending.code))


def estimate(spec: VideoSpec) -> Decimal:
    return budget.estimate_spec(spec)


def waiting_shopper_cost() -> Decimal:
    """Shopper videos asked for but not yet reserved at submit: spend the ledger can't see yet."""
    return ProductVideo.objects.filter(
        origin=Origin.SHOPPER, status__in=[VideoStatus.REQUESTED, VideoStatus.BLOCKED]
    ).aggregate(total=Coalesce(Sum("estimated_cost"), Decimal("0")))["total"]


def check_budget(amount: Decimal) -> None:
    """Refuse up front, creating nothing, when a new shopper video would pass a budget cap.

    The worker enforces the same caps under the ledger lock; this check gives the shopper an
    immediate answer and counts asks that are queued but not yet reserved.
    """
    caps = app_settings.BUDGET
    today = timezone.localdate()
    checks = [
        ("shopper_daily", caps.get("SHOPPER_DAILY"), today, True),
        ("daily", caps.get("DAILY"), today, False),
        ("monthly", caps.get("MONTHLY"), today.replace(day=1), False),
    ]
    if all(cap is None for _name, cap, _since, _shopper in checks):
        return
    waiting = waiting_shopper_cost()
    for name, cap, since, shopper_only in checks:
        if cap is None:
            continue
        if budget.committed_total(since, shopper_only=shopper_only) + waiting + amount > Decimal(str(cap)):
            raise BudgetSpent(refusal_message(f"budget_{name}"), f"budget_{name}", seconds_until_reset(name))


GENERATE_POLICIES = ("always", "on_demand", "never")
DEFAULT_DEMAND_THRESHOLD = 3


def generation_policy() -> str:
    """TRY_ON["GENERATE"]: make every asked bucket ("always"), once enough shoppers ask ("on_demand"), or "never"."""
    policy = app_settings.TRY_ON.get("GENERATE") or "always"
    return policy if policy in GENERATE_POLICIES else "always"


def demand_threshold() -> int:
    return max(1, int(app_settings.TRY_ON.get("DEMAND_THRESHOLD") or DEFAULT_DEMAND_THRESHOLD))


def demand(bucket: dict) -> int:
    """How many distinct sessions asked for a bucket: rows, so it survives restarts and costs no provider call."""
    return TryOnRequest.objects.filter(**bucket).values("session_key").distinct().count()


def request_try_on(product: models.Model, profile: TryOnProfile, *, session_key: str, ip_hash: str = "") -> Ask:
    """Record a shopper's ask and return the one video serving its bucket, starting it only if new and wanted.

    The spec is built once and handed on. Under "always" a refusal (disabled, not wearable, too many
    pending, budget spent) creates no row; under "on_demand" the ask is recorded first, as demand, and
    the bucket is made when its distinct sessions reach DEMAND_THRESHOLD; under "never" only buckets made
    beforehand are served. An ask served by no video has ``video`` None.
    """
    if not is_enabled():
        raise TryOnDisabled(disabled_message())
    adapter = get_adapter(product)
    product = adapter.get_video_product(product)  # a variant is tried on as the product it shares videos with
    if not adapter.is_wearable(product):
        raise NotWearable(refusal_message(NotWearable.code))
    if adapter.get_source_image(product) is None or photo_problem(product) is not None:
        raise PhotoUnusable(refusal_message(PhotoUnusable.code))
    spec = build_spec(product, adapter, preset_name(), profile)
    content_type = ContentType.objects.get_for_model(product, for_concrete_model=True)
    bucket = {"content_type": content_type, "object_id": str(product.pk), "spec_key": spec.spec_key}
    record = {"session_key": session_key[:64], "ip_hash": ip_hash[:64], "profile": profile.as_dict(), **bucket}
    video = ProductVideo.objects.filter(**bucket).first()
    # The product's inputs are hashed only when they decide something: a new bucket or an outdated one.
    key = jobs.inputs_key(adapter, product) if video is None or video.outdated else video.inputs_key
    # A bucket dropped when the product changed, whose product is back as it was, is asked for again.
    revivable = video is not None and video.outdated and video.inputs_key == key
    if video is not None and not revivable:
        return _asked(video, False, record, product, profile)
    unpaid = video is None or video.status == VideoStatus.SUPERSEDED  # only then is anything sent and paid
    policy = generation_policy()
    if unpaid and policy != "always":
        ask = TryOnRequest.objects.create(**record)  # first, so the ask that crosses the threshold sees itself
        if policy == "never" or demand(bucket) < demand_threshold():
            return Ask(video=None, created=False, request=ask, product=product, profile=profile)
        record = None
    if unpaid:
        if record is not None:  # the shared demand that crosses the threshold is not one session's ask
            check_pending(session_key)
        check_budget(estimate(spec))
    # get_or_create under the unique constraint: shoppers asking at the same moment share one row.
    video, created = jobs.get_or_create_video(content_type, str(product.pk), spec, origin=Origin.SHOPPER, key=key)
    if record is None:  # the demand that made the bucket is served by it now
        TryOnRequest.objects.filter(video__isnull=True, **bucket).update(video=video)
        ask = TryOnRequest.objects.filter(video=video, session_key=session_key[:64]).latest("pk")
        return Ask(video=video, created=created, request=ask, product=product, profile=profile)
    return _asked(video, created, record, product, profile)


def bucket_video(product: models.Model, profile: TryOnProfile) -> ProductVideo | None:
    """The current row serving this product and profile's bucket, if one exists (nothing is created)."""
    adapter = get_adapter(product)
    product = adapter.get_video_product(product)
    try:
        spec = build_spec(product, adapter, preset_name(), profile)
    except SpecError:
        return None
    return ProductVideo.objects.for_product(product).filter(spec_key=spec.spec_key, outdated=False).first()


def make_demanded() -> int:
    """Make the on-demand buckets whose distinct sessions reached the threshold but no single ask saw it.

    Asks answered inside request transactions (ATOMIC_REQUESTS) don't see each other's uncommitted rows,
    so three simultaneous first asks may each count fewer than three; the sync pass settles it here.
    Demand for a spec the product no longer has (it changed since) makes nothing. Returns how many were made.
    """
    if generation_policy() != "on_demand" or not is_enabled():
        return 0
    buckets = (
        TryOnRequest.objects.filter(video__isnull=True, content_type__isnull=False)
        .values("content_type_id", "object_id", "spec_key")
        .annotate(sessions=Count("session_key", distinct=True))
        .filter(sessions__gte=demand_threshold())
    )
    made = 0
    for bucket in buckets:
        asks = TryOnRequest.objects.filter(
            video__isnull=True,
            content_type_id=bucket["content_type_id"],
            object_id=bucket["object_id"],
            spec_key=bucket["spec_key"],
        )
        first = asks.exclude(profile={}).first()
        model = ContentType.objects.get_for_id(bucket["content_type_id"]).model_class()
        product = model._default_manager.filter(pk=bucket["object_id"]).first() if model else None
        if first is None or product is None:
            continue
        adapter = get_adapter(product)
        profile = TryOnProfile(**first.profile)
        spec = build_spec(product, adapter, preset_name(), profile)
        if spec.spec_key != bucket["spec_key"]:
            continue
        try:
            check_budget(estimate(spec))
        except BudgetSpent:
            continue
        video, _created = jobs.get_or_create_video(
            ContentType.objects.get_for_id(bucket["content_type_id"]),
            bucket["object_id"],
            spec,
            origin=Origin.SHOPPER,
            key=jobs.inputs_key(adapter, product),
        )
        asks.update(video=video)
        made += 1
    return made


def _asked(video: ProductVideo, created: bool, record: dict, product: models.Model, profile: TryOnProfile) -> Ask:
    ask = TryOnRequest.objects.create(video=video, **record)
    return Ask(video=video, created=created, request=ask, product=product, profile=profile)


def stand_in_cm() -> int:
    value = app_settings.TRY_ON.get("STAND_IN_CM", DEFAULT_STAND_IN_CM)
    return int(value or 0)


def stand_in_for(video: ProductVideo) -> ProductVideo | None:
    """The live try-on video to play while ``video`` (not live itself) is not: same product, size and scene."""
    return nearest_live(video.content_type_id, video.object_id, video.profile or {}, exclude=video.pk)


def nearest_live(content_type_id: int, object_id: str, profile: dict, *, exclude: int | None = None):
    """The live try-on video of this product nearest ``profile``'s height, of its size and scene, or None.

    The nearest model height within TRY_ON["STAND_IN_CM"] (inclusive) wins; between two equally near,
    the taller model (a garment shown a little long reads better than one shown short), then the newest.
    """
    reach = stand_in_cm()
    try:
        height = int(profile["height_cm"])
        size, scene = profile["size"], profile["scene"]
    except (KeyError, TypeError, ValueError):
        return None
    if reach <= 0:
        return None
    candidates = (
        ProductVideo.objects.live()
        .filter(
            content_type_id=content_type_id,
            object_id=object_id,
            preset=preset_name(),
            profile__size=size,
            profile__scene=scene,
        )
        .exclude(pk=exclude)
        .order_by("-completed_at", "-pk")
    )
    best: tuple[tuple[int, int], ProductVideo] | None = None
    for candidate in candidates:
        try:
            distance = int(candidate.profile["height_cm"]) - height
        except (KeyError, TypeError, ValueError):
            continue
        if abs(distance) > reach:
            continue
        rank = (abs(distance), 0 if distance > 0 else 1)  # taller first on a tie; newest first after that
        if best is None or rank < best[0]:
            best = (rank, candidate)
    return best[1] if best else None


def middle(values: list[str], count: int) -> list[str]:
    """The ``count`` values in the middle of an ordered list (S, M, L of XS..XL)."""
    if count >= len(values):
        return list(values)
    start = (len(values) - count) // 2
    return list(values[start : start + count])


def common_profiles() -> list[TryOnProfile]:
    """The buckets most shoppers ask for: heights around 155–175 cm × the middle sizes × the first scene.

    TRY_ON["COMMON_HEIGHTS_CM"] (low, high) and TRY_ON["COMMON_SIZE_COUNT"] change the spread.
    """
    options = app_settings.TRY_ON
    low, high = options.get("COMMON_HEIGHTS_CM") or COMMON_HEIGHTS_CM
    heights = sorted({bucket_height(height) for height in range(int(low), int(high) + 1)})
    sizes = middle(list(options["SIZES"]), int(options.get("COMMON_SIZE_COUNT") or COMMON_SIZE_COUNT))
    scene = options["SCENES"][0]
    return [TryOnProfile(height_cm=height, size=size, scene=scene) for height in heights for size in sizes]


def prerender(products: Iterable[models.Model], profiles: Iterable[TryOnProfile] | None = None) -> list[ProductVideo]:
    """Ask for the common try-on buckets of each wearable product with a photo (origin COMMAND).

    Returns the rows serving those buckets, new and already existing; each new row is queued on commit.
    """
    profiles = common_profiles() if profiles is None else list(profiles)
    preset = preset_name()
    videos: list[ProductVideo] = []
    for product in products:
        adapter = get_adapter(product)
        if not adapter.is_wearable(product) or adapter.get_source_image(product) is None:
            continue
        key = jobs.inputs_key(adapter, product)
        for profile in profiles:
            video, _created = jobs.request_video(
                product, preset, profile=profile, origin=Origin.COMMAND, adapter=adapter, key=key
            )
            videos.append(video)
    return videos
