"""A rendered clip really plays in a browser: headless Chromium advances currentTime through it."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PAGE = """<!doctype html><meta charset="utf-8"><title>emulator clip</title>
<body style="margin:0;background:#222">
<video id="clip" src="clip.mp4" muted playsinline autoplay loop width="360" height="640"></video>
</body>"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_rendered_mp4_plays_in_chromium(client, completed_video, browser, tmp_path):
    with client.videos.with_streaming_response.download_content(completed_video.id) as response:
        response.stream_to_file(tmp_path / "clip.mp4")
    (tmp_path / "index.html").write_text(PAGE)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 360, "height": 640})
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        page.wait_for_function("document.getElementById('clip').currentTime > 0.5", timeout=15_000)
        facts = page.evaluate(
            "() => { const v = document.getElementById('clip');"
            " return {w: v.videoWidth, h: v.videoHeight, d: v.duration, t: v.currentTime, e: v.error}; }"
        )
        assert facts["e"] is None
        assert (facts["w"], facts["h"]) == (720, 1280)
        assert facts["d"] == pytest.approx(4.0, abs=0.15)
        later = page.evaluate("new Promise(r => setTimeout(() => r(document.getElementById('clip').currentTime), 400))")
        assert later != facts["t"]
        shot = tmp_path / "playback.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 1000
    finally:
        server.shutdown()
        server.server_close()
