"""Appeals over JSON: submit (multipart: the fields and optional ``attachments`` files), the
caller's appeals, one appeal (its author, co-signers and officials in full; anyone, anonymised,
when published) and the public register of published appeals. The hearing loop's actions on an
appeal (redirect, extend, respond, rate, contest) are the obligations API's, on the obligation
each appeal names."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from kenes.accounts.auth import TokenAuth
from kenes.common.api import PageOut, page_response
from kenes.obligations.models import Obligation
from kenes.obligations.selectors import rating_of, time_left
from kenes.organizations.models import Organization, Topic
from kenes.territories.models import Territory

from . import rules as appeal_rules
from . import selectors, services
from .models import Appeal
from .schemas import AppealDetailOut, AppealIn, AppealOut

router = Router(tags=["appeals"])
AUTH = [django_auth, TokenAuth()]


def _anyone(request: HttpRequest) -> bool:
    """Reads of published appeals are public; a token, when sent, identifies the reader."""
    return True


READ_AUTH = [TokenAuth(), _anyone]


class ListFilters(Schema):
    q: str | None = None
    kind: Appeal.Kind | None = None
    state: str | None = None
    topic: str | None = None
    territory: str | None = None
    organization: int | None = None
    page: str | None = None
    per_page: str | None = None


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": str(obj.name)}


def _consideration(obligation: Obligation | None) -> dict[str, Any] | None:
    if obligation is None:
        return None
    left = time_left(obligation, timezone.localdate())["days_left"]
    return {
        "obligation": obligation.pk,
        "organization": _ref(obligation.organization),
        "state": obligation.state,
        "opened_on": obligation.opened_on,
        "deadline": obligation.deadline,
        "working_days_left": left,
    }


def appeal_out(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "number": appeal.number,
        "kind": appeal.kind,
        "subject": appeal.subject,
        "territory": appeal.territory.code,
        "topic": appeal.topic.code,
        "addressee": _ref(appeal.addressee),
        "is_public": appeal.is_public,
        "is_collective": appeal.is_collective,
        "created_at": appeal.created_at,
        "consideration": _consideration(getattr(appeal, "current", None)),
        "url": reverse("appeals:detail", args=[appeal.pk]),
    }


def _page(request: HttpRequest, queryset: Any) -> dict[str, Any]:
    data = page_response(request, queryset)
    data["items"] = [appeal_out(a) for a in selectors.with_current(data["items"])]
    return data


def _filters(filters: ListFilters) -> dict[str, Any]:
    territory = topic = organization = None
    if filters.territory:
        territory = Territory.objects.filter(code=filters.territory).order_by("country").first()
        if territory is None:
            raise ValidationError({"territory": [_("No such territory.")]})
    if filters.topic:
        topic = Topic.objects.filter(code=filters.topic).first()
        if topic is None:
            raise ValidationError({"topic": [_("No such topic.")]})
    if filters.organization:
        organization = Organization.objects.filter(pk=filters.organization).first()
    return {
        "q": filters.q,
        "kind": filters.kind,
        "state": filters.state,
        "territory": territory,
        "topic": topic,
        "organization": organization,
    }


@router.get("/", response=PageOut[AppealOut], auth=READ_AUTH, summary="Published appeals")
def public_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    """Appeals their authors published (anonymised), newest first."""
    return _page(request, selectors.appeal_list_public(**_filters(filters)))


@router.get("/mine", response=PageOut[AppealOut], auth=AUTH, summary="My appeals")
def my_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    """Appeals the caller wrote or co-signed, newest first."""
    filters_ = _filters(filters)
    filters_ = {k: v for k, v in filters_.items() if k in ("q", "kind", "state")}
    return _page(request, selectors.appeal_list_mine(request.user, **filters_))


def _lookup(model: Any, field: str, value: Any, **extra: Any) -> Any:
    if value in (None, ""):
        return None
    found = model.objects.filter(**{field: value}, **extra).order_by("pk").first()
    if found is None:
        raise ValidationError(
            {field if field != "pk" else "id": [_("Not found: %(value)s.") % {"value": value}]}
        )
    return found


@router.post("/", response={201: AppealDetailOut}, auth=AUTH, summary="Submit an appeal")
def submit(
    request: HttpRequest,
    payload: Form[AppealIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[Any]:
    """Multipart form: the fields below and up to 5 ``attachments``. 201 with the registered
    appeal (its number, the responsible body and the deadline); 422 with the reasons when refused."""
    territory = Territory.objects.filter(code=payload.territory).order_by("country").first()
    if territory is None:
        raise ValidationError({"territory": [_("No such territory.")]})
    topic = Topic.objects.filter(code=payload.topic).first()
    if topic is None:
        raise ValidationError({"topic": [_("No such topic.")]})
    appeal = services.appeal_submit(
        actor=request.user,
        kind=payload.kind,
        addressee=_lookup(Organization, "pk", payload.addressee),
        territory=territory,
        topic=topic,
        subject=payload.subject,
        text=payload.text,
        language=payload.language or (translation.get_language() or "en")[:2],
        on_behalf_of=_lookup(Organization, "pk", payload.on_behalf_of),
        is_collective=payload.is_collective,
        is_public=payload.is_public,
        attachments=list(attachments or []),
    )
    return Status(201, _detail(request, selectors.appeal_get(appeal.pk)))


def _detail(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    consideration = selectors.consideration(appeal)
    appeal.current = consideration.current  # type: ignore[attr-defined]
    insider = appeal_rules.is_insider.test(request.user, appeal)
    files = request.user.has_perm("appeals.view_attachment", appeal)
    response = consideration.response
    return {
        **appeal_out(appeal),
        "text": appeal.text,
        "language": appeal.language,
        "author": appeal.author.public_name if insider else None,
        "on_behalf_of": _ref(appeal.on_behalf_of) if insider and appeal.on_behalf_of else None,
        "cosigners": appeal.cosigner_count if insider else None,  # type: ignore[attr-defined]
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "content_type": a.content_type,
                "url": reverse("appeals:attachment", args=[appeal.pk, a.pk]),
            }
            for a in appeal.attachments.all()
        ]
        if files
        else [],
        "response": {
            "decision": response.decision,
            "reasons": response.reasons,
            "organization": _ref(response.organization),
            "answered_at": response.created_at,
            "on_time": response.on_time,
            "rating": getattr(rating_of(response), "score", None),
        }
        if response is not None
        else None,
        "contest": _consideration(consideration.contest),
    }


@router.get("/{int:appeal_id}", response=AppealDetailOut, auth=READ_AUTH, summary="One appeal")
def detail(request: HttpRequest, appeal_id: int) -> dict[str, Any]:
    """Its author, co-signers and the officials see it in full; anyone sees a published appeal
    without the author, the organisation, the co-signers or the attachments. 404 otherwise."""
    appeal = selectors.appeal_get(appeal_id)
    if not request.user.has_perm("appeals.view_appeal", appeal):
        raise Http404("No such appeal.")
    return _detail(request, appeal)
