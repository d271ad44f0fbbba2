"""Queries the ORM compiles to SQL once per process, then runs with new parameters.

Building a queryset and compiling it costs the ORM 1,000 to 2,500 Python calls, on a page
whose own work may be a few hundred: the results page made four such queries, a third of its
cost (bench/profile.py). ``CompiledQuery(build)`` compiles ``build(*markers)`` (a queryset
ending in ``values_list``, or of whole rows) once per database and shape, with stand-in values where the
parameters go; a run puts the real ones in their places and converts each column as the
ORM would (JSON decoded, datetimes made aware). ``AttemptItem.objects.for_answer`` and
``navigator_rows`` do the same by hand for the hottest path.

A parameter is an int or str (a stand-in int goes into the query; a text column receives it
as its string), or a list of them for ``__in`` (compiled once per length, the lengths a
process meets being few: a page of questions). Each stand-in must appear exactly once in the
compiled parameters, or compiling fails loudly. ``instance(*args)`` reads the first row of a
query of whole rows as a model instance (a blueprint by its slug: 1,200 Python calls through
the ORM, 150 this way).

``insert(obj)`` writes a new row as ``obj.save(force_insert=True)`` does, with a statement
built once per model: the ORM's save took about 500 Python calls for one row, and a new
guest's mock start saved three (the guest, its session, the attempt).
"""

import functools
import itertools
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet

# Stand-ins: numbers no row has (nor a real parameter is likely to be), one per parameter.
_FIRST_MARKER = -7_340_033
# Shapes kept per query (a list parameter's lengths times the databases): past it, compiled anew.
MAX_PLANS = 128


class _Plan(NamedTuple):
    sql: str
    params: tuple
    slots: tuple[tuple[int, int, int | None], ...]  # (parameter index, argument, item of a list argument)
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, converters, expression)
    model: type[Model]
    names: tuple[str, ...]  # the attnames of the selected columns (a query of whole rows)


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._plans: dict[tuple, _Plan] = {}
        self._lock = threading.Lock()

    def rows(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The query's rows for ``args`` (in ``build``'s order), converted as the ORM would."""
        return self._run(args, using)[1]

    def instance(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> Model | None:
        """The first row as a model instance (a query of whole rows, not ``values_list``), or None."""
        plan, rows = self._run(args, using)
        return plan.model.from_db(using, plan.names, rows[0]) if rows else None

    def _run(self, args: tuple, using: str) -> tuple[_Plan, list[tuple]]:
        shape = tuple(len(arg) if isinstance(arg, list | tuple) else None for arg in args)
        plan = self._plans.get((using, shape)) or self._compile(using, shape)
        params = list(plan.params)
        for index, argument, item in plan.slots:
            params[index] = args[argument] if item is None else args[argument][item]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if not plan.converters:
            return plan, rows
        converted = []
        for row in rows:
            values = list(row)
            for column, converters, expression in plan.converters:
                value = values[column]
                for converter in converters:
                    value = converter(value, expression, connection)
                values[column] = value
            converted.append(tuple(values))
        return plan, converted

    def _compile(self, using: str, shape: tuple) -> _Plan:
        markers: dict[int, tuple[int, int | None]] = {}
        arguments: list[Any] = []
        stand_ins = itertools.count(_FIRST_MARKER, -1)
        for argument, size in enumerate(shape):
            if size is None:
                marker = next(stand_ins)
                markers[marker] = (argument, None)
                arguments.append(marker)
            else:
                items = [next(stand_ins) for _item in range(size)]
                markers.update({marker: (argument, item) for item, marker in enumerate(items)})
                arguments.append(items)
        compiler = self.build(*arguments).using(using).query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots, found = [], set()
        for index, param in enumerate(params):
            marker = _as_marker(param)
            if marker in markers:
                if marker in found:
                    raise RuntimeError(f"CompiledQuery: parameter {markers[marker]} appears twice in {sql}")
                found.add(marker)
                slots.append((index, *markers[marker]))
        if len(found) != len(markers):
            raise RuntimeError(f"CompiledQuery: not every parameter is in the compiled SQL: {sql}")
        columns = [column for column, _sql, _alias in compiler.select]
        converters = compiler.get_converters(columns)
        plan = _Plan(
            sql,
            tuple(params),
            tuple(slots),
            tuple((column, tuple(functions), expression) for column, (functions, expression) in converters.items()),
            compiler.query.model,
            tuple(getattr(getattr(column, "target", None), "attname", "") for column in columns),
        )
        with self._lock:
            if len(self._plans) >= MAX_PLANS:
                self._plans.clear()
            self._plans[using, shape] = plan
        return plan


def _as_marker(param: Any) -> Any:
    """A stand-in as the compiled parameters hold it (a text column's is its string)."""
    if isinstance(param, str) and param.lstrip("-").isdigit():
        return int(param)
    return param if isinstance(param, int) and not isinstance(param, bool) else None


def compiled(build: Callable[..., QuerySet]) -> CompiledQuery:
    """Decorator form: ``@compiled`` on a function of the parameters that returns the queryset."""
    return CompiledQuery(build)


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
