"""allauth_strings.py must list, with allauth's exact msgids and contexts, every string of the
allauth flows Kenes uses (see kenes.accounts.allauth_extract)."""

import ast
import shutil
from pathlib import Path

import polib
import pytest

from kenes.accounts import allauth_extract

MODULE = Path(allauth_extract.__file__).with_name("allauth_strings.py")


def listed() -> set[tuple[str | None, str, str | None]]:
    found = set()
    for node in ast.walk(ast.parse(MODULE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            found.add(
                {
                    "gettext_noop": lambda a: (None, a[0], None),
                    "pgettext_lazy": lambda a: (a[0], a[1], None),
                    "ngettext_lazy": lambda a: (None, a[0], a[1]),
                    "npgettext_lazy": lambda a: (a[0], a[1], a[2]),
                }[node.func.id](args)
            )
    return found


def test_it_uses_allauths_own_msgids_and_contexts():
    catalogue = polib.pofile(str(allauth_extract.ALLAUTH_DIR / "locale/ru/LC_MESSAGES/django.po"))
    truth = {(e.msgctxt, e.msgid, e.msgid_plural or None) for e in catalogue if not e.obsolete}
    strings = listed()
    assert len(strings) > 150
    assert strings <= truth, sorted(strings - truth)[:5]


def test_it_covers_the_key_strings_of_each_flow():
    msgids = {msgid for _ctx, msgid, _plural in listed()}
    for expected in [
        "Sign In",
        "Sign Up",
        "Confirm Email Address",
        "Password Reset",
        "Change Password",
        "Two-Factor Authentication",
        "Activate Authenticator App",
        "Recovery Codes",
        "You must type the same password each time.",
        "Password Reset Email",
        "Too many failed login attempts. Try again later.",
    ]:
        assert expected in msgids, expected
    assert ("field label", "Login", None) in listed()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_it_is_up_to_date_with_the_installed_allauth():
    assert listed() == set(allauth_extract.extract())
