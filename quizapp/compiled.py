"""Reads whose SQL the ORM compiles once per process, and inserts of one row, for the
hottest requests.

Building and compiling a QuerySet costs more Python than many small reads ask of the
database: reading a blueprint by its slug took 1,200 Python calls through the ORM and takes
150 this way (``python -m bench.profile start``). ``Compiled`` takes a function that builds
the QuerySet, called with marker values standing for the parameters that change per call;
the ORM compiles it once per database alias, and each call puts its values in the markers'
places. The SQL and the converters (booleans and JSON on SQLite, for instance) are the ORM's
own, so the rows are the ones the QuerySet would give.

``insert(obj)`` writes a new row as ``obj.save(force_insert=True)`` does, with a statement
built once per model: the ORM's save took about 500 Python calls for one row, and a new
guest's mock start saved two (the guest, the attempt).
"""

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import Field, Model, QuerySet


class _Plan(NamedTuple):
    sql: str
    params: list
    places: list[int]  # where each marker's value goes among the parameters
    converters: dict  # column index -> (converter functions, expression), as the ORM's compiler has them
    model: type[Model]
    names: list[str]  # the attnames of the selected columns (a model query's)


class Compiled:
    """``build(*markers)`` compiled once per alias; ``rows(*values)`` and ``instance(*values)``
    run it with ``values`` in the markers' places.

    Each marker must be a value the query passes as a parameter exactly once and no other
    parameter equals (an id no row has, a string no slug is); a plan breaking that rule is
    refused when it is first compiled.
    """

    def __init__(self, build: Callable[..., QuerySet], *markers: Any):
        self.build = build
        self.markers = markers
        self._plans: dict[str, _Plan] = {}

    def _plan(self, alias: str) -> _Plan:
        if (plan := self._plans.get(alias)) is None:
            queryset = self.build(*self.markers).using(alias)
            compiler = queryset.query.get_compiler(alias)
            sql, params = compiler.as_sql()
            params = list(params)
            if any(params.count(marker) != 1 for marker in self.markers):
                raise RuntimeError(f"{self.build}: a marker is not among the parameters exactly once: {params}")
            columns = [column for column, _sql, _alias in compiler.select]
            plan = self._plans[alias] = _Plan(
                sql,
                params,
                [params.index(marker) for marker in self.markers],
                compiler.get_converters(columns),
                queryset.model,
                [getattr(getattr(column, "target", None), "attname", "") for column in columns],
            )
        return plan

    def rows(self, *values: Any, using: str = "default") -> list[tuple]:
        """Every row, as tuples of the selected columns (a ``values_list`` query's)."""
        plan = self._plan(using)
        params = list(plan.params)
        for place, value in zip(plan.places, values, strict=True):
            params[place] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            rows = [_converted(row, plan.converters, connection) for row in rows]
        return rows

    def instance(self, *values: Any, using: str = "default") -> Model | None:
        """The first row as a model instance (a query of whole rows), or None."""
        rows = self.rows(*values, using=using)
        plan = self._plan(using)
        return plan.model.from_db(using, plan.names, rows[0]) if rows else None


def _converted(row: tuple, converters: dict, connection) -> tuple:
    values = list(row)
    for index, (functions, expression) in converters.items():
        for function in functions:
            values[index] = function(values[index], expression, connection)
    return tuple(values)


def insert(obj: Model, *, using: str = "default") -> None:
    """Insert ``obj`` as ``obj.save(force_insert=True)`` would: each field's value as its
    ``pre_save`` gives it (``auto_now_add`` times, defaults), prepared by the field, and the
    primary key the database assigns set on ``obj`` (a key the model sets itself, as a
    session's, is inserted as it is). Like ``bulk_create``, it sends no ``pre_save`` or
    ``post_save`` signal; it is for models without parents or database defaults
    (``_insert_plan`` checks). Raises IntegrityError as ``save`` does.
    """
    fields, sql, assigned = _insert_plan(type(obj), using)
    connection = connections[using]
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if assigned:
            obj.pk = cursor.fetchone()[0] if connection.features.can_return_columns_from_insert else cursor.lastrowid
    obj._state.adding = False
    obj._state.db = using


@functools.cache
def _insert_plan(model: type[Model], alias: str) -> tuple[list[Field], str, bool]:
    """The fields inserted, the statement, and whether the database assigns the key."""
    meta, connection = model._meta, connections[alias]
    assigned = meta.pk.db_returning  # an AutoField
    fields = [field for field in meta.concrete_fields if not (assigned and field is meta.pk)]
    if meta.parents or any(field.has_db_default() or field.db_returning for field in fields):
        raise TypeError(f"insert(): {model.__name__} has parents or a field the database fills in")
    quote = connection.ops.quote_name
    returning = assigned and connection.features.can_return_columns_from_insert
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})" + (f" RETURNING {quote(meta.pk.column)}" if returning else "")
    )
    return fields, sql, assigned
