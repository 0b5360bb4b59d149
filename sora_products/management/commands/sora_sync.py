"""`manage.py sora_sync`: the safety-net pass over every unfinished video, from cron or by hand."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from sora_products import jobs


class Command(BaseCommand):
    help = "Drive every unfinished product video forward from its saved state (recovers lost tasks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--inline", action="store_true", help="Do the work in this process instead of handing it to workers."
        )
        parser.add_argument("--loop", type=float, metavar="SECONDS", help="Repeat every SECONDS until interrupted.")

    def handle(self, *args, inline: bool, loop: float | None, **options) -> None:
        while True:
            count = jobs.sync(enqueue=not inline)
            verb = "Processed" if inline else "Queued"
            self.stdout.write(f"{verb} {count} video(s) that were due.")
            if not loop:
                return
            time.sleep(loop)
