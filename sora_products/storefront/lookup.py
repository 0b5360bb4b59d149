"""The storefront's live-video query, compiled by the ORM once per shape and reused on every page.

Building and compiling that query costs about ten times what the database takes to answer it, and a
listing page asks it on every request. So the ORM compiles it once with stand-in values; the SQL is kept
per (database, preset, approval rule, sizes of the IN lists) and run with the real values in the
stand-ins' places. IN lists are padded to a power of two (repeating an id), so a shop has few shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connections, router
from django.db.models import F, Q, QuerySet

from sora_products.conf import app_settings
from sora_products.models import ProductVideo

COLUMNS = ("content_type_id", "object_id", "pk", "preset", "video_file", "poster", "size", "seconds", "completed_at")
# Past this many ids the plain ORM query runs: rare on a storefront, and databases cap parameters.
MAX_CACHED_IDS = 512

Wanted = dict[int, list[str]]  # content type id -> product ids as text


def live_rows(wanted: Wanted, preset: str) -> list[tuple]:
    """(content type id, object id, *COLUMNS[2:]) of every live, profile-less video of ``preset``, newest first."""
    alias = router.db_for_read(ProductVideo)
    groups = sorted((content_type_id, list(dict.fromkeys(ids))) for content_type_id, ids in wanted.items() if ids)
    if not groups:
        return []
    if sum(len(ids) for _ct, ids in groups) > MAX_CACHED_IDS:
        return list(live_queryset(groups, preset, alias))
    shape = tuple(_padded(len(ids)) for _ct, ids in groups)
    statement = _statement(alias, preset, bool(app_settings.REQUIRE_APPROVAL), shape)
    if statement is None:
        return list(live_queryset(groups, preset, alias))
    return statement.run(connections[alias], groups)


def live_queryset(groups: list[tuple[int, list[str]]], preset: str, alias: str) -> QuerySet:
    """The query itself, in ORM terms: the statement cache compiles exactly this."""
    condition = Q()
    for content_type_id, object_ids in groups:
        condition |= Q(content_type_id=content_type_id, object_id__in=object_ids)
    return (
        ProductVideo.objects.using(alias)
        .live()
        .filter(condition, preset=preset, profile={})
        .order_by(F("completed_at").desc(nulls_last=True), "-pk")  # newest first: the caller keeps the first
        .values_list(*COLUMNS)
    )


def _padded(count: int) -> int:
    return 1 << max(count - 1, 0).bit_length()


@dataclass(frozen=True)
class Statement:
    """Compiled SQL, its fixed parameters, and where each group's content type and ids go in them."""

    sql: str
    params: tuple[Any, ...]
    places: tuple[tuple[int, int, int], ...]  # per group: (content type position, first id position, id count)
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, converter functions, expression)

    def params_for(self, groups: list[tuple[int, list[str]]]) -> list[Any]:
        params = list(self.params)
        for (content_type_id, ids), (type_at, ids_at, count) in zip(groups, self.places, strict=True):
            params[type_at] = content_type_id
            params[ids_at : ids_at + count] = ids + ids[-1:] * (count - len(ids))  # padding repeats the last id
        return params

    def run(self, connection: Any, groups: list[tuple[int, list[str]]]) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params_for(groups))
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for column, functions, expression in self.converters:
                value = row[column]
                for function in functions:
                    value = function(value, expression, connection)
                row[column] = value
            converted.append(tuple(row))
        return converted


def _stand_in_id(group: int, index: int) -> str:
    return f"\x1fsora-stand-in-{group}-{index}"


@lru_cache(maxsize=64)
def _statement(alias: str, preset: str, require_approval: bool, shape: tuple[int, ...]) -> Statement | None:
    """Compile the query for this shape; None when the stand-ins can't be told apart in the parameters."""
    stand_ins = [
        (-(group + 1), [_stand_in_id(group, index) for index in range(size)]) for group, size in enumerate(shape)
    ]
    compiler = live_queryset(stand_ins, preset, alias).query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    places = tuple(_places(list(params), content_type_id, ids) for content_type_id, ids in stand_ins)
    if None in places:
        return None
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    return Statement(
        sql=sql,
        params=tuple(params),
        places=places,
        converters=tuple(
            (column, tuple(functions), expression) for column, (functions, expression) in converters.items()
        ),
    )


def _places(params: list[Any], content_type_id: int, ids: list[str]) -> tuple[int, int, int] | None:
    """Where one group's stand-ins landed: its content type once, its ids side by side and in order."""
    type_at = [position for position, param in enumerate(params) if _is(param, content_type_id)]
    id_at = [position for position, param in enumerate(params) if _is(param, ids[0])]
    if len(type_at) != 1 or len(id_at) != 1:
        return None
    start = id_at[0]
    if params[start : start + len(ids)] != ids:
        return None
    return type_at[0], start, len(ids)


def _is(param: Any, stand_in: int | str) -> bool:
    return type(param) is type(stand_in) and param == stand_in
