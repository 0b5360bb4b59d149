"""``manage.py sora_emulator``: the local video provider, with the same options as
``python -m sora_products.emulator``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sora_products.emulator import cli


class Command(BaseCommand):
    help = (
        "Run the local OpenAI Videos API emulator (renders real MP4s). Its /_emulator/* control endpoints "
        "need no key: keep it on loopback."
    )
    requires_system_checks: list[str] = []  # the emulator needs nothing from the project

    def add_arguments(self, parser: CommandParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = cli.config_from_options(options)
        except (TypeError, ValueError) as error:
            raise CommandError(str(error)) from error
        cli.serve(config, out=self.stdout)
