import pytest


@pytest.mark.parametrize("perm", ["territories.load_territories", "territories.change_territory"])
def test_it_lets_only_superusers_load_and_edit(perm, alice, bob, staff):
    assert staff.has_perm(perm)
    assert not alice.has_perm(perm)
    assert not bob.has_perm(perm)
