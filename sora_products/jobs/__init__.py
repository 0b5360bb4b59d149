"""The engine: the state machine of a ProductVideo, one module per step.

The database row is the source of truth and every step starts from it, so running a step twice,
late or concurrently is harmless. A paid create is sent at most once per claimed attempt: the
claim (and the budget reservation) commit before the call, the remote id commits right after it,
and a claim whose outcome is unknown is reconciled, never blindly resent.

``request`` asks for videos, ``submit`` → ``refresh`` → ``store`` make them, ``reconcile`` settles
unknown creates, ``sync`` drives rows and is the safety net, ``breaker`` waits out a failing
provider, ``transitions`` declares the allowed status changes; ``actions`` are what a person does.
"""

# ``sync`` and ``submit`` name both a module and its main function; the functions win here, as callers expect.
from sora_products.jobs.actions import NOT_CANCELABLE, NOT_RETRYABLE, approve, cancel, retry
from sora_products.jobs.request import (
    get_or_create_video,
    inputs_key,
    product_changed,
    product_removed,
    remix,
    remix_or_existing,
    request_video,
)
from sora_products.jobs.submit import submit
from sora_products.jobs.sync import due_videos, process, sync
from sora_products.jobs.transitions import Step, fail

__all__ = [
    "NOT_CANCELABLE",
    "NOT_RETRYABLE",
    "Step",
    "approve",
    "cancel",
    "due_videos",
    "fail",
    "get_or_create_video",
    "inputs_key",
    "process",
    "product_changed",
    "product_removed",
    "remix",
    "remix_or_existing",
    "request_video",
    "retry",
    "submit",
    "sync",
]
