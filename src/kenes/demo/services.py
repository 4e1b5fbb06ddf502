"""The demo loader. Idempotent: everything is found by a natural key before it is created,
so `kenes demo` can run on every `make run` without duplicating anything."""

import secrets
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from kenes.accounts.models import User
from kenes.audit import services as audit
from kenes.audit.services import audit_seal_all
from kenes.organizations.models import Membership, Organization, Sector
from kenes.organizations.services import organization_create
from kenes.territories.models import Territory
from kenes.territories.services import default_source_dir, territories_load

from .samples import ORGANIZATIONS

ADMIN_EMAIL = "admin@kenes.local"


@dataclass
class DemoResult:
    admin_password: str | None = None
    territories_source: str = ""
    territories_sample: bool = False
    territories_created: int = 0
    organizations_created: list[str] = field(default_factory=list)
    blocks_sealed: int = 0
    petitions_created: int = 0
    appeals_created: int = 0
    budgeting_created: bool = False
    registry_created: bool = False
    grants_created: int = 0


def demo_admin_ensure() -> tuple[User, str | None]:
    """The demo administrator; the password is returned only when the account is created."""
    existing = User.objects.filter(email=ADMIN_EMAIL).first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        admin = User.objects.create_superuser(ADMIN_EMAIL, password, display_name="Demo administrator")
        EmailAddress.objects.create(user=admin, email=ADMIN_EMAIL, verified=True, primary=True)
        audit.record(event="demo.administrator.created", obj=admin, actor_label="demo")
    return admin, password


def _organization_kwargs(sample: dict[str, Any], created: dict[str, Organization]) -> dict[str, Any]:
    territory = Territory.objects.get(code=sample["territory"])
    kwargs: dict[str, Any] = {
        "kind": sample["kind"],
        "country": sample["country"],
        "territory": territory,
        "sectors": list(Sector.objects.filter(code__in=sample["sectors"])),
        "status": sample.get("status", Organization.Status.OPERATING),
        "registration_number": sample.get("registration_number", ""),
        "is_sample": True,
    }
    kwargs.update({f"name_{lang}": name for lang, name in sample["names"].items()})
    if "supervisor" in sample:
        kwargs["supervising_body"] = created[sample["supervisor"]]
    return kwargs


def demo_organizations_ensure(*, actor: User) -> list[str]:
    """Create the sample organisations that are not there yet; return the names created."""
    made: list[str] = []
    created: dict[str, Organization] = {}
    for sample in ORGANIZATIONS:
        organization = Organization.objects.filter(is_sample=True, name_en=sample["names"]["en"]).first()
        if organization is None:
            organization = organization_create(actor=actor, **_organization_kwargs(sample, created))
            made.append(sample["names"]["en"])
        created[sample["key"]] = organization
    _admin_heads(actor, [created["committee"], created["turkistan-akimat"]])
    return made


def _admin_heads(admin: User, organizations: list[Organization]) -> None:
    """Make the demo administrator head of two bodies, so the members pages can be tried."""
    for organization in organizations:
        with transaction.atomic():
            membership, was_created = Membership.objects.get_or_create(
                organization=organization, user=admin, defaults={"role": Membership.Role.HEAD}
            )
            if was_created:
                audit.record(
                    event="organizations.membership.created",
                    actor=admin,
                    obj=membership,
                    after={"role": membership.role, "organization": organization.pk},
                    actor_label="demo",
                )


def demo_load() -> DemoResult:
    result = DemoResult()
    admin, result.admin_password = demo_admin_ensure()
    source, is_sample = default_source_dir()
    loaded = territories_load(actor=None, source_dir=source)
    result.territories_source = str(source)
    result.territories_sample = is_sample
    result.territories_created = loaded.created
    result.organizations_created = demo_organizations_ensure(actor=admin)
    from .budgeting import demo_budgeting_ensure

    result.budgeting_created = demo_budgeting_ensure(admin=admin)
    from .voice import demo_appeals_ensure, demo_petitions_ensure

    result.petitions_created = demo_petitions_ensure(admin=admin)
    result.appeals_created = demo_appeals_ensure(admin=admin)
    from .registry import demo_registry_ensure

    result.registry_created = demo_registry_ensure(admin=admin)
    from .grants import demo_grants_ensure

    result.grants_created = demo_grants_ensure(admin=admin)
    result.blocks_sealed = len(audit_seal_all())
    return result
