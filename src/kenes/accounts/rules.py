"""Who may do what with accounts (see docs/permissions.md)."""

import rules


@rules.predicate
def is_self(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return obj is not None and getattr(user, "pk", None) is not None and obj.pk == user.pk


@rules.predicate
def is_live(user) -> bool:  # type: ignore[no-untyped-def]
    return getattr(user, "deleted_at", None) is None


rules.add_perm("accounts.change_user", rules.is_authenticated & is_live & is_self)
rules.add_perm("accounts.verify_identity", rules.is_active & rules.is_staff)
rules.add_perm("accounts.view_verifications", rules.is_active & rules.is_staff)
