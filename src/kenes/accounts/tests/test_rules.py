import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "perm", "expected"),
    [
        ("alice", "accounts.change_user", True),
        ("charlie", "accounts.change_user", False),
        ("staff", "accounts.change_user", True),  # superuser
        ("alice", "accounts.verify_identity", False),
        ("staff", "accounts.verify_identity", True),
        ("alice", "accounts.view_verifications", False),
        ("staff", "accounts.view_verifications", True),
    ],
)
def test_it_grants_account_permissions_by_role(request, alice, who, perm, expected):
    actor = request.getfixturevalue(who)
    assert actor.has_perm(perm, alice if perm == "accounts.change_user" else None) is expected


def test_it_lets_a_plain_staff_member_verify(user_factory):
    clerk = user_factory(is_staff=True)
    assert clerk.has_perm("accounts.verify_identity")
    assert not clerk.has_perm("accounts.change_user", user_factory())
