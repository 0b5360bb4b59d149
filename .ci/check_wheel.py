"""Fail when the wheel lacks the files a shop needs at run time (templates, static, migrations, .mo)."""

import sys
import zipfile

REQUIRED_PREFIXES = {
    "templates": "sora_products/templates/sora_products/",
    "prompt templates": "sora_products/templates/sora_products/prompts/",
    "static files": "sora_products/static/sora_products/",
    "migrations": "sora_products/migrations/0001_initial.py",
    "Japanese catalog (.po)": "sora_products/locale/ja/LC_MESSAGES/django.po",
    "Japanese catalog (.mo)": "sora_products/locale/ja/LC_MESSAGES/django.mo",
    "emulator": "sora_products/emulator/__main__.py",
    "django-oscar templates": "sora_products/contrib/oscar/templates/sora_products/oscar/detail.html",
}
FORBIDDEN = ("tests/", "demo_shop/")


def main(path: str) -> int:
    names = zipfile.ZipFile(path).namelist()
    missing = [label for label, prefix in REQUIRED_PREFIXES.items() if not any(n.startswith(prefix) for n in names)]
    leaked = [n for n in names if n.startswith(FORBIDDEN)]
    print(f"{path}: {len(names)} files")
    for label, prefix in REQUIRED_PREFIXES.items():
        print(f"  {'ok     ' if label not in missing else 'MISSING'} {label}: {prefix}")
    if leaked:
        print("  files that must not ship:", *leaked[:5])
    return 1 if missing or leaked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
