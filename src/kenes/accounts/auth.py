"""API authentication with personal tokens: ``Authorization: Bearer <key>``."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken
from .services import token_digest

LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """Finds the token by the SHA-256 digest of the key; refuses revoked or expired tokens and
    tokens of deleted or inactive people. Returns the token's user (``request.auth``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token:
            return None
        api_token = ApiToken.objects.select_related("user").filter(key_hash=token_digest(token)).first()
        if api_token is None or not api_token.is_usable:
            return None
        user = api_token.user
        if not user.is_active or user.deleted_at is not None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
            # Bookkeeping, not a state change: one conditional UPDATE, at most once a minute.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = user
        return user
