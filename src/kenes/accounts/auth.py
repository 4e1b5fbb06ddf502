"""API authentication with personal tokens: ``Authorization: Bearer <key>``."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, User
from .services import token_digest

LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
TOKEN_FIELDS = ("id", "user_id", "last_used_at", "expires_at", "revoked_at")


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


@cache
def _lookup_sql(vendor: str) -> tuple[str, tuple[str, ...]]:
    """One statement that reads the token's bookkeeping and its person, written once from the
    models' tables and columns: every API request runs it, and building it with the ORM cost more
    CPU than the signing request's own INSERT (bench/README.md, "Petitions"). On PostgreSQL the
    same statement also stamps ``last_used_at`` of a usable token when the stamp is older than
    ``LAST_USED_RESOLUTION`` (a data-modifying WITH): one round trip and one transaction."""
    user_fields = tuple(f.attname for f in User._meta.concrete_fields)
    quote = connection.ops.quote_name
    token_table, user_table = quote(ApiToken._meta.db_table), quote(User._meta.db_table)
    columns = [f"t.{quote(_field(ApiToken, name).column)}" for name in TOKEN_FIELDS]
    columns += [f"u.{quote(_field(User, name).column)}" for name in user_fields]
    join = f"{token_table} t JOIN {user_table} u ON u.{quote(User._meta.pk.column)} = t.user_id"
    if vendor != "postgresql":
        return f"SELECT {', '.join(columns)} FROM {join} WHERE t.key_hash = %s", user_fields
    aliases = [f"c{i}" for i in range(len(columns))]
    named = dict(zip([*TOKEN_FIELDS, *(f"user.{n}" for n in user_fields)], aliases, strict=True))
    last_used = quote(ApiToken._meta.get_field("last_used_at").column)
    sql = f"""
        WITH found AS (
            SELECT {", ".join(f"{c} AS {a}" for c, a in zip(columns, aliases, strict=True))}
            FROM {join} WHERE t.key_hash = %s),
        touched AS (
            UPDATE {token_table} SET {last_used} = %s FROM found
            WHERE {token_table}.id = found.{named["id"]}
              AND found.{named["revoked_at"]} IS NULL
              AND (found.{named["expires_at"]} IS NULL OR found.{named["expires_at"]} > %s)
              AND found.{named["user.is_active"]} AND found.{named["user.deleted_at"]} IS NULL
              AND (found.{named["last_used_at"]} IS NULL OR found.{named["last_used_at"]} <= %s)
            RETURNING 1)
        SELECT * FROM found"""
    return sql, user_fields


def token_user(key: str) -> tuple[ApiToken, User] | None:
    """The token with this key and its person, or None; loaded as model instances with the
    database's converters, in one query (on PostgreSQL, which also stamps ``last_used_at``)."""
    sql, user_fields = _lookup_sql(connection.vendor)
    params: list[Any] = [token_digest(key)]
    if connection.vendor == "postgresql":
        now = timezone.now()
        params += [now, now, now - LAST_USED_RESOLUTION]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    converted = _convert(row)
    split = len(TOKEN_FIELDS)
    token = ApiToken.from_db(connection.alias, list(TOKEN_FIELDS), converted[:split])
    user = User.from_db(connection.alias, list(user_fields), converted[split:])
    return token, user


def _convert(row: tuple[Any, ...]) -> list[Any]:
    """The values as the ORM would give them (SQLite returns booleans and dates as text)."""
    return [
        _apply(value, column, converters) if converters else value
        for value, (column, converters) in zip(row, _converters(connection.vendor), strict=True)
    ]


def _apply(value: Any, column: Any, converters: list[Any]) -> Any:
    for converter in converters:
        value = converter(value, column, connection)
    return value


@cache
def _converters(vendor: str) -> list[tuple[Any, list[Any]]]:
    columns = [_field(ApiToken, name).get_col("t") for name in TOKEN_FIELDS]
    columns += [field.get_col("u") for field in User._meta.concrete_fields]
    return [
        (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
        for column in columns
    ]


class TokenAuth(HttpBearer):
    """Finds the token by the SHA-256 digest of the key; refuses revoked or expired tokens and
    tokens of deleted or inactive people. Returns the token's user (``request.auth``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token:
            return None
        found = token_user(token)
        if found is None:
            return None
        api_token, user = found
        if not api_token.is_usable or not user.is_active or user.deleted_at is not None:
            return None
        now = timezone.now()
        stale = api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION
        if stale and connection.vendor != "postgresql":  # PostgreSQL stamped it in token_user
            # Bookkeeping, not a state change: one UPDATE, at most once a minute.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.user = user
        request.user = user
        return user
