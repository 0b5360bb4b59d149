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

from sora_products.models import ProductVideo

COLUMNS = ("content_type_id", "object_id", "pk", "preset", "video_file", "poster", "size", "seconds", "completed_at")
# Past this many ids the plain ORM query runs: rare on a storefront, and databases cap parameters.
MAX_CACHED_IDS = 512

Wanted = dict[int, list[str]]  # content type id -> product ids as text


def live_rows(wanted: Wanted, preset: str) -> list[tuple]:
    """(content type id, object id, *COLUMNS[2:]) of every live, profile-less video of ``preset``, newest first."""
    alias = router.db_for_read(ProductVideo)
    groups = sorted((content_type_id, sorted(set(ids))) for content_type_id, ids in wanted.items() if ids)
    if not groups:
        return []
    if sum(len(ids) for _ct, ids in groups) > MAX_CACHED_IDS:
        return list(live_queryset(groups, preset, alias))
    from sora_products.conf import app_settings

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
class _Slot:
    group: int
    index: int | None  # None: the group's content type id; else the position in its id list


@dataclass(frozen=True)
class Statement:
    """Compiled SQL whose parameters are fixed values or slots for the caller's ids."""

    sql: str
    params: tuple[Any, ...]
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, converter functions, expression)

    def run(self, connection: Any, groups: list[tuple[int, list[str]]]) -> list[tuple]:
        params = [self._value(param, groups) for param in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return [tuple(row) for row in rows]
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

    @staticmethod
    def _value(param: Any, groups: list[tuple[int, list[str]]]) -> Any:
        if not isinstance(param, _Slot):
            return param
        content_type_id, ids = groups[param.group]
        if param.index is None:
            return content_type_id
        return ids[min(param.index, len(ids) - 1)]  # padding repeats the last id


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
    slots: dict[Any, _Slot] = {}
    for group, (content_type_id, ids) in enumerate(stand_ins):
        slots[content_type_id] = _Slot(group, None)
        slots.update({stand_in: _Slot(group, index) for index, stand_in in enumerate(ids)})
    placed = [_hashable_slot(param, slots) for param in params]
    if sum(isinstance(param, _Slot) for param in placed) != len(slots):
        return None
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    return Statement(
        sql=sql,
        params=tuple(placed),
        converters=tuple(
            (column, tuple(functions), expression) for column, (functions, expression) in converters.items()
        ),
    )


def _hashable_slot(param: Any, slots: dict[Any, _Slot]) -> Any:
    try:
        return slots.get(param, param)
    except TypeError:  # an unhashable adapted value (a JSON wrapper): never a stand-in
        return param
