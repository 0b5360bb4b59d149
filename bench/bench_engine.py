"""The engine against the emulator: provider calls per completed video, and jobs per second.

1. Provider calls per completed video, side by side in one run against one emulator (generation
   takes GENERATION_SECONDS): our engine with webhooks (target <= 3 API calls), our engine polling
   only (target <= 3 + generation time / poll interval), and the official SDK's create_and_poll at
   its default interval. The poster download (the provider's thumbnail) is counted apart.
2. Throughput of the engine itself: an instantly completing emulator (--instant), one qcluster with
   2 workers, SQLite and the database broker (target >= 20 jobs/s), without the trust checks and then
   with them (the face check of each reference, the fidelity check and Content Credentials of each
   stored clip), side by side. The stock clip shows no product, so with the checks every video is held:
   the work is the same as for a clip that passes.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from _django import ROOT, postgres_and_redis, setup, setup_postgres, verdict

GENERATION_SECONDS = 6.0
POLL_INTERVAL = 10.0
THROUGHPUT_JOBS = int(os.environ.get("SORA_BENCH_JOBS", "200"))
# Made up here, for the benchmark's own emulator: a Standard Webhooks secret is "whsec_" + base64.
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"benchmark-secret-bytes-32-long!!").decode()


class WebhookReceiver(BaseHTTPRequestHandler):
    """Hands each delivery to the app's webhook code, then runs the queued step like a worker."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        from sora_products import jobs, webhooks

        body = self.rfile.read(int(self.headers["Content-Length"]))
        outcome = webhooks.receive(body, dict(self.headers.items()))
        self.send_response(200)
        self.end_headers()
        if outcome == "queued":
            video_id = json.loads(body)["data"]["id"]
            from sora_products.models import ProductVideo

            pk = ProductVideo.objects.get(remote_id=video_id).pk
            threading.Thread(target=jobs.process, args=(pk,)).start()

    def log_message(self, *args: object) -> None:
        pass


def apply_settings(settings, sora: dict) -> None:
    """Change SORA_PRODUCTS outside a test: reload the settings object and the cached providers."""
    from sora_products.conf import app_settings
    from sora_products.jobs.providers import reset_providers

    settings.SORA_PRODUCTS = sora
    app_settings.reload()
    reset_providers()


def calls_per_video() -> None:
    from django.conf import settings

    from sora_products import jobs
    from sora_products.emulator import Emulator, EmulatorConfig
    from sora_products.models import ProductVideo, VideoStatus
    from tests.factories import make_product

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    emulators = {}
    for name in ("webhooks", "polling", "sdk"):
        config = EmulatorConfig(port=0, fast=True, complete_after=GENERATION_SECONDS, api_key="sk-bench")
        if name == "webhooks":
            config.webhook_url = f"http://127.0.0.1:{receiver.server_port}/"
            config.webhook_secret = WEBHOOK_SECRET
        emulators[name] = Emulator(config).start()

    def engine(name: str, webhooks: bool) -> None:
        emulator = emulators[name]
        provider = {"BASE_URL": emulator.base_url, "API_KEY": emulator.api_key, "WEBHOOKS": webhooks}
        apply_settings(
            settings,
            {
                **settings.SORA_PRODUCTS,
                "PROVIDERS": {"default": provider},
                "WEBHOOK_SECRETS": [WEBHOOK_SECRET],
                "POLL_INTERVAL": POLL_INTERVAL,
                "BUDGET": {"DAILY": None, "MONTHLY": None},
            },
        )

    results = {}
    for name, webhooks in (("webhooks", True), ("polling", False)):
        engine(name, webhooks)
        video = ProductVideo.objects.for_product(make_product(name=f"Bench {name}")).get()
        started = time.monotonic()
        step = jobs.process(video.pk)
        while not webhooks and step.check_in is not None:
            time.sleep(step.check_in)
            step = jobs.process(video.pk)
        while ProductVideo.objects.get(pk=video.pk).status != VideoStatus.READY:
            time.sleep(0.05)
        results[name] = (emulators[name].stats()["requests"], time.monotonic() - started)

    import warnings

    from openai import OpenAI

    warnings.simplefilter("ignore", DeprecationWarning)
    client = OpenAI(base_url=emulators["sdk"].base_url, api_key="sk-bench")
    started = time.monotonic()
    sdk_video = client.videos.create_and_poll(prompt="A bench product", seconds="8", size="720x1280")
    client.videos.download_content(sdk_video.id).read()
    results["sdk"] = (emulators["sdk"].stats()["requests"], time.monotonic() - started)

    budget = 3 + GENERATION_SECONDS / POLL_INTERVAL
    for name, (requests, seconds) in results.items():
        thumbnails = requests.get("GET /v1/videos/{id}/content", 0) - 1 if name != "sdk" else 0
        api = sum(requests.values()) - thumbnails
        target = {"webhooks": 3, "polling": budget}.get(name)
        mark = f"target <= {target:g}  {verdict(api <= target)}" if target else "(for comparison)"
        print(
            f"provider calls per video, {name:8}: {api} API calls + {thumbnails} poster download  "
            f"in {seconds:.1f} s  {mark}   routes: {dict(requests)}"
        )
    ours, sdk = sum(results["webhooks"][0].values()), sum(results["sdk"][0].values())
    print(f"ratio engine-with-webhooks / SDK create_and_poll calls: {ours / sdk:.2f}x")
    for emulator in emulators.values():
        emulator.stop()
    receiver.shutdown()


def session_cpu_seconds(sid: int) -> float:
    """CPU time used so far by every live process of a session (the qcluster and its children), from /proc."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # fields after the name: state ppid pgrp session ...
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def throughput(checks: bool, processes: int = 1, workers: int = 2, label: str = "SQLite") -> float:
    """Jobs per second of ``processes`` qcluster processes of ``workers`` workers each, against an instant emulator."""
    from django.conf import settings
    from django.db import connection, transaction

    from sora_products import jobs
    from sora_products.emulator import Emulator, EmulatorConfig
    from sora_products.emulator.renderer import RenderSettings
    from sora_products.models import ProductVideo, VideoStatus
    from tests.factories import make_product, photo_bytes

    emulator = Emulator(EmulatorConfig(port=0, fast=True, instant=True, complete_after=0, poll_after_ms=0)).start()
    sora = {
        **settings.SORA_PRODUCTS,
        "AUTO_GENERATE": False,
        "QUEUE": "sora_products.queues.DjangoQ2Queue",
        "PROVIDERS": {"default": {"BASE_URL": emulator.base_url, "API_KEY": emulator.api_key}},
        "POLL_INTERVAL": 0.02,
        "TASK_HOLD_SECONDS": 5,
        "BUDGET": {"DAILY": None, "MONTHLY": None},
    }
    if checks:
        sora.update(
            FIDELITY={"CHECK": True},
            FACES="mask",
            PROVENANCE={"TRUST_ANCHORS": Path(emulator.c2pa_ca_path()).read_text()},
        )
    else:
        sora.update(FIDELITY={"CHECK": False}, FACES="off")
    apply_settings(settings, sora)
    photo = photo_bytes((400, 500))
    name = f"{label} {processes}x{workers} {'with' if checks else 'without'}"
    products = [make_product(photo=photo, name=f"Throughput {name} {n}") for n in range(THROUGHPUT_JOBS)]
    # Warm the stock clip so the first job doesn't pay for the one render.
    signer = emulator.clip_signer
    emulator.lifecycle._stock.place(
        type("S", (), {"width": 720, "height": 1280, "seconds": 8})(),
        tempfile.mkdtemp(),
        RenderSettings.for_mode(fast=True, fps=None, threads=1),
        sign=(lambda path: signer.sign(path, model="stock")) if signer else None,
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SORA_WORKER_DB_NAME": connection.settings_dict["NAME"],
        "SORA_TEST_MEDIA": str(settings.MEDIA_ROOT),
        "SORA_STACK_SETTINGS": json.dumps(sora),
        "SORA_Q_WORKERS": str(workers),
    }
    cluster = [
        subprocess.Popen(
            [sys.executable, str(Path(ROOT) / "manage.py"), "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(processes)
    ]
    time.sleep(3 + processes)  # let the clusters start before the clock does
    started, cpu0 = time.monotonic(), time.process_time()
    with transaction.atomic():
        ids = [jobs.request_video(product, "showcase")[0].pk for product in products]
    stored = [VideoStatus.READY, VideoStatus.HELD]
    while ProductVideo.objects.filter(pk__in=ids, status__in=stored).count() < len(ids):
        if time.monotonic() - started > 300:
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    done = ProductVideo.objects.filter(pk__in=ids, status__in=stored).count()
    worker_cpu = sum(session_cpu_seconds(process.pid) for process in cluster)
    here_cpu = time.process_time() - cpu0
    for process in cluster:
        os.killpg(process.pid, 9)
    routes = emulator.stats()["requests"]
    emulator.stop()
    rate = done / elapsed
    per_job = 1000 / max(done, 1)
    where = (
        f"per job: {worker_cpu * per_job:.0f} ms CPU in the workers, {here_cpu * per_job:.0f} ms in this process "
        f"(emulator, enqueue), {sum(routes.values()) / max(done, 1):.1f} provider calls"
    )
    if checks:
        held = ProductVideo.objects.filter(pk__in=ids, status=VideoStatus.HELD).count()
        checked = ProductVideo.objects.filter(pk__in=ids).exclude(fidelity={}).exclude(provenance={}).count()
        print(
            f"engine throughput with the trust checks: {done}/{len(ids)} jobs stored in {elapsed:.1f} s "
            f"= {rate:.1f} jobs/s ({checked} checked, {held} held: the stock clip shows no product); {where}"
        )
    else:
        print(
            f"engine throughput, {label}, {processes} qcluster x {workers} workers: {done}/{len(ids)} jobs ready "
            f"in {elapsed:.1f} s = {rate:.1f} jobs/s; {where}"
        )
    return rate


def where_the_time_goes(count: int = 60) -> None:
    """One process drives ``count`` jobs as a worker task does, profiled: what a job's time is spent on."""
    import cProfile
    import pstats

    from django.conf import settings

    from sora_products import jobs, tasks
    from sora_products.emulator import Emulator, EmulatorConfig
    from tests.factories import make_product, photo_bytes

    emulator = Emulator(EmulatorConfig(port=0, fast=True, instant=True, complete_after=0, poll_after_ms=0)).start()
    sora = {
        **settings.SORA_PRODUCTS,
        "AUTO_GENERATE": False,
        "QUEUE": "sora_products.queues.CapturingQueue",
        "PROVIDERS": {"default": {"BASE_URL": emulator.base_url, "API_KEY": emulator.api_key}},
        "POLL_INTERVAL": 0.02,
        "BUDGET": {"DAILY": None, "MONTHLY": None},
        "FIDELITY": {"CHECK": False},
        "FACES": "off",
    }
    apply_settings(settings, sora)
    photo = photo_bytes((400, 500))
    ids = [jobs.request_video(make_product(photo=photo, name=f"Profiled {n}"), "showcase")[0].pk for n in range(count)]
    for pk in ids[:10]:  # warm: imports, connections, the stock clip
        tasks.process_video(pk)
    profiler = cProfile.Profile()  # this thread only: the emulator's threads are not counted
    started, cpu0 = time.perf_counter(), time.thread_time()
    profiler.enable()
    for pk in ids[10:]:
        tasks.process_video(pk)
    profiler.disable()
    measured = len(ids) - 10
    wall, cpu = (time.perf_counter() - started) / measured, (time.thread_time() - cpu0) / measured
    emulator.stop()
    totals = pstats.Stats(profiler).stats  # (file, line, function) -> (calls, ..., own time, cumulative, callers)
    parts = {
        "waiting out the poll (sleep)": lambda f, fn: fn == "<built-in method time.sleep>",
        "the reference image (Pillow)": lambda f, fn: f.endswith("references/build.py") and fn == "build_reference",
        "provider HTTP (httpx)": lambda f, fn: f.endswith("httpx/_client.py") and fn == "send",
        "SQL (the database driver)": lambda f, fn: f.endswith("django/db/backends/utils.py") and fn == "_execute",
        "Content Credentials read (c2pa)": lambda f, fn: f.endswith("trust/provenance.py") and fn == "read_credentials",
    }
    spent = {name: sum(v[3] for (f, _l, fn), v in totals.items() if match(f, fn)) / measured
             for name, match in parts.items()}  # fmt: skip
    rest = wall - sum(spent.values())
    shares = ", ".join(f"{name} {seconds * 1000:.1f} ms" for name, seconds in spent.items())
    print(f"where one job's time goes (one process, {measured} jobs): {wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms "
          f"CPU: {shares}, the rest (ORM and engine Python) {rest * 1000:.1f} ms")


def scaling() -> None:
    """1, 2 and 3 single-worker qcluster processes on PostgreSQL and the Redis broker, side by side."""
    rates = {n: throughput(checks=False, processes=n, workers=1, label="PostgreSQL + Redis") for n in (1, 2, 3)}
    two, three = rates[2] / rates[1], rates[3] / rates[2]
    print(f"2 workers / 1: {two:.2f}x  target >= 1.5  {verdict(two >= 1.5)}")
    print(f"3 workers / 2: {three:.2f}x  target >= 1.0 (2 cores here)  {verdict(three >= 1.0)}")


def main() -> None:
    if "--postgres" in sys.argv:
        setup_postgres("engine")
        scaling()
        return
    setup("engine")
    calls_per_video()
    without = throughput(checks=False)
    print(f"engine throughput target (2 workers, SQLite, checks off) >= 60 jobs/s: {verdict(without >= 60)}")
    where_the_time_goes()
    cores = os.cpu_count() or 1
    print(f"at 60 jobs/s, {cores} cores leave {cores / 60 * 1000:.0f} ms of CPU per job for everything: the workers, "
          "the emulator, the broker and the database")
    with_checks = throughput(checks=True)
    print(
        f"throughput with / without the trust checks: {with_checks / without:.2f}x "
        f"({1 / with_checks - 1 / without:.3f} s more per video on 2 workers)"
    )
    if postgres_and_redis():
        subprocess.run([sys.executable, __file__, "--postgres"], check=False)
    else:
        print("SKIPPED: PostgreSQL + Redis scaling (no PostgreSQL on 127.0.0.1:5432 or Redis on 127.0.0.1:6379)")


if __name__ == "__main__":
    main()
