"""Database constraints that only PostgreSQL can enforce, declared so SQLite still migrates.

:class:`PostgresExclusionConstraint` is Django's ``ExclusionConstraint`` (GiST, ``btree_gist``)
whose DDL is skipped on other database vendors: ``create_sql``/``constraint_sql``/``remove_sql``
return ``None`` there (Django's schema editor skips a falsy statement), and ``validate`` does
nothing there. On SQLite the application-level checks in :mod:`learning.booking` remain.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class TsTzRange(Func):
    """``tstzrange(start, end, '[)')``: a half-open time range (a lesson ending at 10:00 does not
    overlap one starting at 10:00). From Django's ExclusionConstraint documentation."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ``ExclusionConstraint`` that is a no-op on non-PostgreSQL databases."""

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if connections[using].vendor != "postgresql":
            return
        return super().validate(model, instance, exclude=exclude, using=using)


__all__ = ["PostgresExclusionConstraint", "RangeBoundary", "TsTzRange"]
