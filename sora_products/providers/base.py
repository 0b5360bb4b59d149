"""The provider seam: typed requests, jobs and errors shared by every video-generation backend.

Nothing here knows Django. A backend speaks one wire protocol and translates it into these
dataclasses and exceptions, so ``jobs`` can decide what to do from the *type* of an outcome:
retry later, wait, reconcile, ask a person, or give up.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, BinaryIO, ClassVar

# Error codes meaning "moderation refused this"; a job failed with one of them will fail again.
MODERATION_CODES = frozenset(
    {
        "moderation_blocked",
        "sentinel_block",
        "content_policy_violation",
        "content_filter",
        "content_moderation",
        "safety_violation",
        "input_moderation",
        "output_moderation",
    }
)

# 429 codes meaning "out of money", not "slow down": waiting will not help, a person must act.
QUOTA_CODES = frozenset({"insufficient_quota", "organization_spend_limit_exceeded", "project_spend_limit_exceeded"})


class JobStatus(StrEnum):
    """Lifecycle of a remote job, as the OpenAI Videos protocol names it."""

    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class ReferenceUpload:
    """An image sent with a create; it becomes the first frame, so its size must equal the video's."""

    content: bytes
    content_type: str
    filename: str

    def __repr__(self) -> str:
        """Keep megabytes of image out of logs and tracebacks."""
        size = len(self.content)
        return f"ReferenceUpload(filename={self.filename!r}, content_type={self.content_type!r}, {size} bytes)"


@dataclass(frozen=True)
class CreateRequest:
    """Everything a paid create sends; the same fields identify the job when reconciling."""

    prompt: str
    model: str
    size: str
    seconds: int
    reference: ReferenceUpload | None = None


@dataclass(frozen=True)
class RemoteJob:
    """A provider's view of one job at one moment."""

    id: str
    status: JobStatus
    progress: int
    model: str
    size: str
    seconds: int
    prompt: str | None
    created_at: int | None
    completed_at: int | None
    expires_at: int | None
    remixed_from: str | None
    error_code: str | None
    error_message: str | None
    poll_after_ms: int | None = None
    request_id: str | None = None
    # What the provider says the job costs (USD), where it says: an estimate while it runs, the charge at the end.
    estimated_cost: Decimal | None = None
    cost: Decimal | None = None

    @property
    def is_terminal(self) -> bool:
        """True when polling can stop: the job completed or failed."""
        return self.status in (JobStatus.COMPLETED, JobStatus.FAILED)

    @property
    def is_refused(self) -> bool:
        """True when moderation failed the job, so resubmitting the same request is pointless."""
        return self.error_code in MODERATION_CODES

    def matches(self, request: CreateRequest) -> bool:
        """True when this job was plausibly created from ``request`` (there is no client id to compare)."""
        return (
            self.prompt == request.prompt
            and self.model == request.model
            and self.size == request.size
            and self.seconds == request.seconds
        )


@dataclass(frozen=True)
class DownloadResult:
    """What a download wrote into the caller's file."""

    bytes_written: int
    content_type: str | None


@dataclass(frozen=True)
class ModelCapabilities:
    """What one model accepts, so a preset can be checked before money is spent."""

    sizes: frozenset[str]
    seconds: frozenset[int]
    remix: bool
    audio: bool


@dataclass(frozen=True)
class ProviderCapabilities:
    """What a backend can do; ``list_jobs`` False means an unknown create cannot be reconciled."""

    models: dict[str, ModelCapabilities]
    webhooks: bool
    list_jobs: bool
    cancel: bool


def _restore_error(cls: type[ProviderError], state: dict[str, Any]) -> ProviderError:
    """Rebuild a pickled error with all its fields (task queues pickle exceptions)."""
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class ProviderError(Exception):
    """A provider call failed; the subclass says what the caller may do about it.

    ``message`` is the provider's own text when it sent one (never containing the API key);
    ``str(error)`` is a sentence for a person: what happened, the provider's words, and ids.
    """

    summary: ClassVar[str] = "The video provider returned an error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.request_id = request_id
        self.retry_after = retry_after

    def details(self) -> list[str]:
        """The identifying facts a support request needs."""
        parts = []
        if self.status_code is not None:
            parts.append(f"HTTP {self.status_code}")
        if self.code:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        if self.retry_after is not None:
            parts.append(f"retry after {self.retry_after:g} s")
        return parts

    def headline(self) -> str:
        """The class-level sentence start; subclasses with state may vary it."""
        return self.summary

    def __str__(self) -> str:
        text = self.headline() + "."
        message = self.message.strip()
        if message:
            text += " " + message[0].upper() + message[1:]
            text += "" if message.endswith((".", "!", "?")) else "."
        details = self.details()
        if details:
            text += f" ({', '.join(details)})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, "
            f"status_code={self.status_code!r}, request_id={self.request_id!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_error, (type(self), dict(self.__dict__)))


class BadResponse(ProviderError):
    """The provider answered with something that is not its protocol (wrong BASE_URL, broken proxy)."""

    summary = "The video provider sent a response that could not be read"


class TransientError(ProviderError):
    """Nothing was changed at the provider, or the call only read: trying again later is safe."""

    summary = "The video provider is temporarily unreachable or failing; try again later"


class RateLimited(ProviderError):
    """The provider refused the call for rate or money reasons; nothing was created.

    ``quota`` True means the account is out of quota or over a spend limit: waiting does not
    help, submissions should pause until a person raises the limit.
    """

    summary = "The video provider is rate limiting requests; wait before sending more"

    def __init__(self, message: str, *, quota: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.quota = quota

    def headline(self) -> str:
        if self.quota:
            return "The video provider account is out of quota or over its spend limit; raise it to continue"
        return self.summary


class ModerationRefused(ProviderError):
    """The provider's input moderation refused the request; sending it again will fail again."""

    summary = "The video provider's moderation refused the request; change the prompt or reference image"


class InvalidRequest(ProviderError):
    """The provider says our request is wrong (size, seconds, model, image); never retry it as is."""

    summary = "The video provider rejected the request"


class AuthError(ProviderError):
    """The provider rejected the credentials or the account may not use this API; check API_KEY."""

    summary = "The video provider rejected the API credentials or permissions; check the API key and account"


class NotFound(ProviderError):
    """The provider does not know this id (never existed, deleted, or expired)."""

    summary = "The video provider does not know this video; it may have been deleted or expired"


class OutcomeUnknown(ProviderError):
    """A paid create or remix may have reached the provider: reconcile with find_created, never resend.

    Raised for timeouts and dropped connections after the request was sent, and for 5xx answers
    (some gateways create the job and then fail while answering).
    """

    summary = "The video provider may or may not have accepted the job; reconcile before sending it again"


class DownloadTooLarge(ProviderError):
    """The file is larger than the configured cap; the download was stopped."""

    summary = "The video file is larger than the allowed size; the download was stopped"


class DownloadIncomplete(TransientError):
    """The body ended before Content-Length; the partial file must be discarded."""

    summary = "The video download ended early; discard the partial file and try again"


class VideoProvider(abc.ABC):
    """One backend per wire protocol; ``jobs`` talks to providers only through these methods.

    Paid calls (``create``, ``remix``) are sent at most once and never retried automatically;
    reads are retried by the backend on transient failures.
    """

    name: ClassVar[str] = "provider"

    @classmethod
    @abc.abstractmethod
    def from_options(cls, options: dict[str, Any]) -> VideoProvider:
        """Build from one SORA_PRODUCTS["PROVIDERS"] entry (upper-case keys, unknown keys ignored)."""

    @abc.abstractmethod
    def capabilities(self) -> ProviderCapabilities:
        """Models, sizes and optional features, for validating presets before paying."""

    @abc.abstractmethod
    def create(self, request: CreateRequest) -> RemoteJob:
        """Start a paid job; sent at most once, OutcomeUnknown when the answer was lost."""

    @abc.abstractmethod
    def retrieve(self, remote_id: str) -> RemoteJob:
        """Read a job's current state."""

    @abc.abstractmethod
    def remix(self, remote_id: str, prompt: str, *, source_url: str | None = None) -> RemoteJob:
        """Start a paid variation of a completed job; at most once, like create.

        ``source_url`` is where the provider can fetch the finished video from the shop's storage, for
        protocols that edit a video file rather than one of their own jobs.
        """

    @abc.abstractmethod
    def delete(self, remote_id: str) -> None:
        """Remove a finished job and its assets at the provider."""

    def probe(self) -> None:
        """One cheap read that proves the provider answers (never a paid call); raises ProviderError if not.

        Backends should send a single request without retries: it runs once per cool-down while the
        provider is marked unreachable.
        """
        next(iter(self.list_recent(limit=1, max_pages=1)), None)

    @abc.abstractmethod
    def download(
        self, remote_id: str, dest: BinaryIO, *, variant: str = "video", max_bytes: int | None = None
    ) -> DownloadResult:
        """Stream a finished job's file into ``dest`` in chunks, never holding it whole in memory."""

    def list_recent(self, *, limit: int = 100, max_pages: int = 5) -> Iterator[RemoteJob]:
        """Jobs newest first, for reconciling an unknown create; only where capabilities().list_jobs."""
        raise NotImplementedError(f"The {self.name} provider cannot list its jobs.")

    def find_created(self, request: CreateRequest, *, since: int, skew: int = 120) -> list[RemoteJob]:
        """Jobs that look created by ``request`` at or after ``since - skew`` (unix seconds), newest first.

        Raises NotImplementedError when the provider has no list endpoint: "cannot tell" must
        never be confused with "not created", or a paid job would be sent twice.
        """
        if not self.capabilities().list_jobs:
            raise NotImplementedError(f"The {self.name} provider cannot list its jobs, so a create cannot be found.")
        cutoff = since - skew
        found = []
        for job in self.list_recent():
            if job.created_at is not None and job.created_at < cutoff:
                break  # newest first: everything after this is older still
            if job.matches(request):
                found.append(job)
        return found

    def close(self) -> None:  # noqa: B027 - optional hook, most backends have nothing to close
        """Release connections; the default has none."""

    def __enter__(self) -> VideoProvider:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
