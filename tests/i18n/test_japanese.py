"""Japanese is shipped: pages and messages render in Japanese, and the catalogues are complete and compiled."""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sora_products import budget
from sora_products.models import ProductVideo, Spend, SpendKind
from sora_products.references.errors import ReferenceImageError, too_large_bytes, too_large_pixels
from sora_products.specs import SpecError, TryOnProfile
from sora_products.storefront import product_ref
from tests.admin.conftest import fail, finish, video_url
from tests.factories import make_product
from tests.storefront.helpers import dress, ready_video

ROOT = Path(__file__).resolve().parents[2]
APP_PO = ROOT / "sora_products" / "locale" / "ja" / "LC_MESSAGES" / "django.po"
DEMO_PO = ROOT / "demo_shop" / "locale" / "ja" / "LC_MESSAGES" / "django.po"
CATALOGUES = [pytest.param(APP_PO, id="sora_products"), pytest.param(DEMO_PO, id="demo_shop")]
JA = {"HTTP_ACCEPT_LANGUAGE": "ja"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Try-on throttles live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def get(client: Client, url: str) -> str:
    response = client.get(url, **JA)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="ja"' in html, url
    return html


# --- the storefront ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_product_list_is_in_japanese(client):
    shirt = make_product(name="リネンシャツ", category="apparel")
    make_product(category="home")
    ready_video(shirt)

    html = get(client, reverse("catalog:list"))

    for text in ["長く使える、毎日の道具", "すべて", "アパレル", "本文へスキップ", "デモショップ", "動画について："]:
        assert text in html
    assert "インテリア・雑貨" in html and ">ホーム<" not in html  # the category, not a website's home page
    assert "2 点の商品" in html
    assert "AI生成動画" in html and 'aria-label="AI生成動画：リネンシャツ"' in html
    assert "Everyday goods" not in html and "AI-generated" not in html


@pytest.mark.django_db
def test_the_product_page_and_try_on_widget_are_in_japanese(client):
    product = dress(name="ラップワンピース")
    ready_video(product)

    html = get(client, product.get_absolute_url())

    for text in [
        "カートに入れる",
        "デモショップのため、ご購入はいただけません。",
        "すべての商品に戻る",
        "カテゴリー",
        "着用イメージを見る",
        "モデルの身長",
        "165 cm",
        "サイズ",
        "シーン",
        "スタジオ",
        "街中",
        "見てみる",
        "サイズ感を保証するものではありません。",
        "AI生成動画",
        'data-label-play="動画を再生"',
        'data-msg-sending="動画をリクエストしています…"',
    ]:
        assert text in html, text
    # The script fills {height} and {size} into the translated label, so they must survive translation.
    label = "AI生成動画：ラップワンピース（身長 {height} cm のモデル、サイズ {size} を着用）"
    assert f'data-aria-template="{label}"' in html
    assert "See it worn" not in html and "Model height" not in html


@pytest.mark.django_db
def test_try_on_progress_and_refusals_are_in_japanese(client):
    product = dress()
    response = client.post(
        reverse("sora_products:try-on"),
        {"product": product_ref(product), "height_cm": "160", "size": "M", "scene": "street"},
        **JA,
    )
    assert response.status_code == 302
    assert "動画は順番待ちです。まもなく作成を開始します。" in get(client, response["Location"].split("#")[0])

    refused = get(client, product.get_absolute_url() + "?try_on_error=invalid")
    assert "一覧から身長・サイズ・シーンを選んで、もう一度お試しください。" in refused

    answer = client.post(
        reverse("sora_products:api:try-on"),
        json.dumps({"product": product_ref(product), "height_cm": 20, "size": "M", "scene": "studio"}),
        content_type="application/json",
        **JA,
    )
    assert answer.status_code == 400
    assert "身長は 140〜200 cm の範囲で選択してください。" in answer.content.decode()


# --- the admin -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_video_admin_is_in_japanese(admin_client):
    ready = finish(ProductVideo.objects.for_product(make_product(name="リネンシャツ")).get())
    failed = fail(ProductVideo.objects.for_product(make_product()).get())

    changelist = get(admin_client, video_url("changelist"))
    for text in ["プレビュー", "状態", "承認：ストアに表示する", "プリセット", "完成", "失敗", "承認待ち", "費用"]:
        assert text in changelist, text

    detail = get(admin_client, video_url("change", ready))
    for text in ["参照画像", "プロンプト", "承認", "却下", "リミックス…", "プロバイダー"]:
        assert text in detail, text

    problem = get(admin_client, video_url("change", failed))
    assert "プロバイダーがこの動画の生成を拒否しました。" in problem
    assert "顔・人物・ロゴが写っていない写真を使うか" in problem


@pytest.mark.django_db
def test_the_costs_page_is_in_japanese(admin_client):
    video = ProductVideo.objects.for_product(make_product()).get()
    Spend.objects.create(
        video=video,
        kind=SpendKind.SETTLED,
        amount=Decimal("0.80"),
        settled_amount=Decimal("0.80"),
        provider="default",
        model="sora-2",
        preset="showcase",
        day=video.created_at.date(),
    )

    html = get(admin_client, "/admin/sora_products/spend/")

    for text in ["動画の費用", "過去30日間", "日別の支出", "予算", "支出", "プリセット別", "プロバイダー・モデル別"]:
        assert text in html, text
    assert ">ホーム</a>" in html and "Spend per day" not in html


# --- messages from Python -----------------------------------------------------------------------


def test_messages_from_python_are_in_japanese():
    with translation.override("ja"):
        empty = "商品画像のファイルが空です。写真をもう一度アップロードしてください。"
        assert str(ReferenceImageError("empty")) == empty
        assert "上限の 40 メガピクセルを超えています" in str(too_large_pixels(9000, 9000, 40_000_000))
        assert "上限の 10 MB を超えています" in str(too_large_bytes(20 * 1024 * 1024, 10 * 1024 * 1024))

        caps = budget.cap_messages()
        assert caps["daily"].startswith("本日の動画予算を使い切りました。")
        assert caps["monthly"].startswith("今月の動画予算を使い切りました。")
        assert caps["shopper_daily"].endswith("明日もう一度お試しください。")

        refusals = {
            ("tall", "M", "studio"): "身長をセンチメートル単位で選択してください。",
            (20, "M", "studio"): "身長は 140〜200 cm の範囲で選択してください。",
            (160, "XXXL", "studio"): "表示されているサイズから選択してください。",
            (160, "M", "moon"): "表示されているシーンから選択してください。",
        }
        for choices, message in refusals.items():
            with pytest.raises(SpecError) as refused:
                TryOnProfile.from_choices(*choices)
            assert str(refused.value) == message

    with translation.override("en"):
        assert str(ReferenceImageError("empty")).startswith("The product image file is empty")


# --- the catalogues ------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _unquote(text: str) -> str:
    return json.loads(text)  # a PO string is a C string; the escapes gettext writes are JSON's too


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (as fields) and the entries of a .po file, parsed without polib."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#~"):  # an obsolete entry: parsed like any other, then reported
            entry.obsolete, line = True, line[2:].lstrip()
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#:"):
            entry.references += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if isinstance(target, int):
                entry.msgstr[target] += value
            else:
                setattr(entry, target, getattr(entry, target) + value)
        else:
            keyword, _, rest = line.partition(" ")
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural:
                target = int(plural.group(1))
                entry.msgstr[target] = _unquote(rest)
            elif keyword == "msgstr":
                target = 0
                entry.msgstr[0] = _unquote(rest)
            else:
                target = keyword
                setattr(entry, keyword, _unquote(rest))
    header_entry = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    header = dict(line.split(": ", 1) for line in header_entry.msgstr[0].splitlines() if ": " in line)
    return header, [e for e in entries if e is not header_entry]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\w+\}|%%|</?[a-z][^>]*>")


@pytest.mark.parametrize("path", CATALOGUES)
def test_every_entry_is_translated_with_the_same_placeholders(path):
    header, entries = read_po(path)

    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert len(entries) > 30
    assert not [e.msgid for e in entries if e.obsolete], "obsolete entries: run `make messages`"
    assert not [e.msgid for e in entries if "fuzzy" in e.flags], "fuzzy entries must be checked"
    untranslated = [e.msgid for e in entries if not e.msgstr.get(0, "").strip()]
    assert not untranslated, f"untranslated: {untranslated}"
    for entry in entries:
        assert set(entry.msgstr) == {0}, entry.msgid  # Japanese has one plural form
        source = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid))
        assert set(PLACEHOLDER.findall(entry.msgstr[0])) == source, entry.msgid


def test_the_prompt_templates_are_not_in_the_catalogue():
    """Prompts are English content for the video provider, not text a person reads in the UI."""
    _, entries = read_po(APP_PO)
    assert not [ref for entry in entries for ref in entry.references if "prompts/" in ref]


@pytest.mark.parametrize("path", CATALOGUES)
def test_the_compiled_catalogue_matches_the_po_file(path):
    """The .mo is committed (a wheel or a fresh clone needs no gettext): it must be compiled from this .po."""
    with path.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in read_po(path)[1]:
        if entry.msgid_plural:
            got = (
                catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else (catalogue.ngettext(entry.msgid, entry.msgid_plural, 1))
            )
        else:
            got = catalogue.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else catalogue.gettext(entry.msgid)
        assert got == entry.msgstr[0], f"{path.name}.mo is stale for {entry.msgid!r}: run `make messages`"


@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgmerge")), reason="GNU gettext not installed")
@pytest.mark.parametrize(
    ("package", "extra"),
    [
        pytest.param("sora_products", ["--ignore", "templates/sora_products/prompts/*"], id="sora_products"),
        pytest.param("demo_shop", [], id="demo_shop"),
    ],
)
def test_the_catalogue_holds_every_string_in_the_source(package, extra, tmp_path):
    """Extract again from a copy of the source: a string added since the last `make messages` fails here."""
    copy = tmp_path / package
    shutil.copytree(ROOT / package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}  # as `make messages`
    admin = [sys.executable, "-P", "-m", "django", "makemessages", "-l", "ja", "--no-obsolete", *extra]
    subprocess.run(admin, cwd=copy, env=env, check=True, capture_output=True)

    committed = {e.key for e in read_po(ROOT / package / "locale/ja/LC_MESSAGES/django.po")[1]}
    fresh = read_po(copy / "locale/ja/LC_MESSAGES/django.po")[1]
    missing = sorted(e.msgid for e in fresh if e.key not in committed or not e.msgstr.get(0))
    assert not missing, f"not in the {package} catalogue yet (run `make messages` and translate): {missing}"
    assert {e.key for e in fresh} == committed, "the catalogue has strings the source no longer uses"
