"""The signing endpoints: the hot path (docs/petitions.md). A signature costs one query for the
petition, one INSERT and its audit event; the count is derived later by the counting job."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from kenes.accounts.auth import TokenAuth

from . import signing
from .models import Petition

router = Router(tags=["petitions"])

AUTH = [TokenAuth(), django_auth]


class SignIn(Schema):
    show_name: bool = False


class SignOut(Schema):
    signature: int
    counted: bool
    needs_confirmation: bool


class WithdrawOut(Schema):
    signature: int
    withdrawn: bool


def _open_petition(petition_id: int, *, hot: bool = False) -> Petition:
    if hot:  # signing: the copy a server process keeps for a moment (signing.petition_to_sign)
        petition = signing.petition_to_sign(petition_id)
    else:
        petition = Petition.objects.public().filter(pk=petition_id).first()
    if petition is None:
        raise Http404("No such petition.")
    return petition


@router.post("/{int:petition_id}/signatures", response={201: SignOut}, auth=AUTH, summary="Sign a petition")
def signature_create(request: HttpRequest, petition_id: int, payload: SignIn) -> Status[Any]:
    """422 with the reason when refused: the petition is closed, the verification level is too
    low, a throw-away address of an unverified signer, or an existing signature."""
    petition = _open_petition(petition_id, hot=True)
    result = signing.signature_create(
        actor=request.user,
        petition=petition,
        show_name=payload.show_name,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    # A held-back signature gets the same reply (no oracle for whoever probes the limits).
    counted = not result.needs_confirmation
    return Status(
        201,
        {
            "signature": result.signature.pk,
            "counted": counted,
            "needs_confirmation": result.needs_confirmation,
        },
    )


@router.delete(
    "/{int:petition_id}/signatures/mine", response=WithdrawOut, auth=AUTH, summary="Withdraw my signature"
)
def signature_withdraw(request: HttpRequest, petition_id: int) -> dict[str, Any]:
    petition = _open_petition(petition_id)
    signature = signing.signature_withdraw(actor=request.user, petition=petition)
    return {"signature": signature.pk, "withdrawn": True}
