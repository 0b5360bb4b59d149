"""Command-line options shared by ``python -m sora_products.emulator`` and ``manage.py sora_emulator``."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from .app import Emulator
from .config import EmulatorConfig

READY_PREFIX = "Sora emulator ready at"
FAL_READY = "fal queue at"  # the ready line's TLS part: "... fal queue at https://127.0.0.1:PORT (CA /dir/ca.pem)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options to a parser (argparse or Django's CommandParser)."""
    server = parser.add_argument_group("server")
    server.add_argument("--host", help="interface to bind (default 127.0.0.1; keep it on loopback)")
    server.add_argument("--port", type=int, help="port to listen on (default 8765; 0 = any free port)")
    server.add_argument("--api-key", help="accept only this Bearer key (default: any non-empty key)")
    server.add_argument("--data-dir", help="where renders are written (default: a temporary directory)")
    server.add_argument("--workers", type=int, help="render threads (default 2)")
    server.add_argument(
        "--tls-port", type=int, help="also serve fal.ai's queue over HTTPS on this port (0 = any free port)"
    )
    server.add_argument(
        "--tls-dir", help="where the local CA (ca.pem), server certificate and fal webhook key are kept and reused "
        "(default: inside the data directory)",
    )  # fmt: skip
    server.add_argument("--log-requests", action="store_true", default=None, help="log every request")

    timing = parser.add_argument_group("generation")
    timing.add_argument(
        "--complete-after",
        type=float,
        metavar="SECONDS",
        help="time from create to completed, at least the render time (default 6)",
    )
    timing.add_argument("--poll-after-ms", type=int, help="openai-poll-after-ms header value (default 1000)")
    timing.add_argument(
        "--fast",
        action="store_true",
        default=None,
        help="fast renders for tests: 6 fps and ultrafast x264 (same size and duration)",
    )
    timing.add_argument("--fps", type=int, help="frame rate (default 24, or 6 with --fast)")
    timing.add_argument(
        "--instant",
        action="store_true",
        default=None,
        help="serve one stock clip per size and duration instead of rendering each job (client benchmarks)",
    )
    timing.add_argument("--render-threads", type=int, help="x264 threads per render (default 1; 0 = auto)")
    timing.add_argument(
        "--unsigned",
        dest="sign_clips",
        action="store_false",
        default=None,
        help="leave Content Credentials (C2PA) off the clips, like most providers",
    )
    timing.add_argument(
        "--only-2025",
        dest="allow_2026",
        action="store_false",
        default=None,
        help="refuse the 2026 additions (16/20 s, sora-2-pro 1920x1080 and 1080x1920)",
    )
    timing.add_argument(
        "--expires-after",
        type=int,
        metavar="SECONDS",
        help="expires_at = completed_at + this, and the lifetime of Runway output links (default 86400)",
    )

    faults = parser.add_argument_group("faults")
    faults.add_argument("--seed", type=int, help="seed for the random faults")
    faults.add_argument(
        "--moderation-word",
        dest="moderation_words",
        action="append",
        metavar="WORD",
        help="a prompt containing WORD fails later with moderation_blocked (Runway: SAFETY.INPUT.TEXT) "
        "(default '[moderate]')",
    )
    faults.add_argument(
        "--reject-word",
        dest="reject_words",
        action="append",
        metavar="WORD",
        help="a prompt containing WORD is refused at once (400 sentinel_block)",
    )
    faults.add_argument("--failure-rate", type=float, help="share of jobs that fail (0-1)")
    faults.add_argument(
        "--colour-drift",
        type=float,
        metavar="SHARE",
        help="share of jobs whose clip shows the product in a shifted hue (0-1)",
    )
    faults.add_argument("--rate-limit-next", type=int, metavar="N", help="answer the next N requests with 429")
    faults.add_argument("--rate-limit-creates", type=int, metavar="N", help="answer the next N creates with 429")
    faults.add_argument("--retry-after-ms", type=int, help="retry-after-ms on 429s (default 100)")
    faults.add_argument(
        "--quota-exceeded",
        action="store_true",
        default=None,
        help="answer creates with 429 insufficient_quota and x-should-retry: false",
    )
    faults.add_argument(
        "--server-errors", dest="server_error_next", type=int, metavar="N", help="answer the next N requests with 500"
    )
    faults.add_argument("--server-error-creates", type=int, metavar="N", help="answer the next N creates with 500")
    faults.add_argument("--server-error-rate", type=float, help="share of requests answered with 500 (0-1)")
    faults.add_argument(
        "--drop-creates",
        dest="drop_create_responses",
        type=int,
        metavar="N",
        help="accept the next N creates but close the connection without a response",
    )
    faults.add_argument("--truncate-downloads", type=int, metavar="N", help="cut the next N content downloads halfway")

    hooks = parser.add_argument_group("webhooks")
    hooks.add_argument("--webhook-url", help="POST signed video.completed / video.failed events here")
    hooks.add_argument("--webhook-secret", help="whsec_<base64> signing secret")
    hooks.add_argument("--webhook-attempts", type=int, help="delivery attempts per event (default 5)")
    hooks.add_argument(
        "--webhook-backoff", type=float, metavar="SECONDS", help="first retry delay, doubled each attempt (default 1)"
    )
    hooks.add_argument(
        "--webhook-timeout",
        type=float,
        metavar="SECONDS",
        help="how long to wait for the receiver to answer (default 5)",
    )


def config_from_options(options: Mapping[str, Any]) -> EmulatorConfig:
    """An EmulatorConfig from parsed options; options left unset keep the defaults."""
    config = EmulatorConfig()
    known = set(config.to_dict())
    config.update(**{name: value for name, value in options.items() if name in known and value is not None})
    if config.webhook_url and not config.webhook_secret:
        raise ValueError("--webhook-url needs --webhook-secret whsec_... (the events are signed).")
    return config


def serve(config: EmulatorConfig, out: TextIO = sys.stdout) -> None:
    """Run until SIGINT/SIGTERM, announcing the base URL on one line (process-based tests read it)."""
    logging.basicConfig(
        level=logging.INFO if config.log_requests else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if config.host not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write(f"warning: listening on {config.host}: the /_emulator/* control endpoints need no key.\n")
    try:
        emulator = Emulator(config).start()
    except OSError as error:
        reason = error.strerror or error
        where = f"{config.host}:{config.port}" + ("" if config.tls_port is None else f" and :{config.tls_port} (TLS)")
        raise SystemExit(f"The emulator cannot listen on {where}: {reason}.") from None
    stopped = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    mode = "fast" if config.fast else "normal"
    out.write(
        f"{READY_PREFIX} {emulator.base_url} (renders: {mode}, {config.frame_rate} fps, "
        f"complete after {config.complete_after:g}s, data in {emulator.data_dir})"
        + (f"; {FAL_READY} {emulator.tls_url} (CA {emulator.ca_path})" if emulator.tls_url else "")
        + "\n"
    )
    out.flush()
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m sora_products.emulator``."""
    parser = argparse.ArgumentParser(
        prog="python -m sora_products.emulator",
        description="A local video provider that renders real MP4s: the OpenAI Videos API (/v1/videos; SDK "
        "base_url http://HOST:PORT/v1) and Runway's API (/v1/image_to_video, /v1/video_to_video, /v1/tasks/{id}; "
        "SDK base_url http://HOST:PORT, header X-Runway-Version: 2024-11-06) on one port, sharing jobs and faults. "
        "Control endpoints (/_emulator/stats, /_emulator/config, /_emulator/reset) need no key: keep it on loopback.",
    )
    add_arguments(parser)
    try:
        config = config_from_options(vars(parser.parse_args(argv)))
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    serve(config)
    return 0
