from typing import Any

from django.conf import settings
from django.http import HttpRequest


def kenes(request: HttpRequest) -> dict[str, Any]:
    return {"KENES_LANGUAGES": settings.LANGUAGES}
