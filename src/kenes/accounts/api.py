from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import django_auth

from . import selectors, services
from .auth import TokenAuth
from .models import User
from .schemas import MeOut, MePatch

router = Router(tags=["accounts"])
AUTH = [django_auth, TokenAuth()]


def _me(user: User) -> MeOut:
    territory = user.home_territory
    return MeOut(
        id=user.pk,
        email=user.email,
        display_name=user.display_name,
        public_name=user.public_name,
        language=user.language,
        home_territory=territory.code if territory else None,
        verification_level=user.verification_level,
    )


@router.get("/me", response=MeOut, auth=AUTH, summary="The signed-in person")
def me(request: HttpRequest) -> MeOut:
    return _me(request.auth)  # type: ignore[attr-defined]


@router.patch("/me", response=MeOut, auth=AUTH, summary="Change display name, language or home territory")
def me_update(request: HttpRequest, payload: MePatch) -> MeOut:
    user: User = request.auth  # type: ignore[attr-defined]
    changes = payload.dict(exclude_unset=True)
    territory = user.home_territory
    if "home_territory" in changes:
        code = changes["home_territory"]
        territory = selectors.home_territory_choices().filter(code=code).first() if code else None
        if code and territory is None:
            raise ValidationError({"home_territory": _("Unknown territory code.")})
    services.user_update_profile(
        actor=user,
        user=user,
        display_name=user.display_name if changes.get("display_name") is None else changes["display_name"],
        language=changes.get("language") or user.language,
        home_territory=territory,
    )
    return _me(user)
