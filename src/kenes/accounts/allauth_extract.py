"""Regenerate ``allauth_strings.py`` from the installed django-allauth.

allauth ships Russian and Kyrgyz catalogues but no Kazakh one, and Kenes' own catalogue must
translate every string a person sees. This tool extracts, exactly as ``makemessages`` would
(Django's ``templatize`` for templates, GNU ``xgettext`` with Django's keywords), the strings
of the allauth files that the flows Kenes uses render, and writes them as a Python module of
``gettext_noop`` / ``pgettext_lazy`` / ``ngettext_lazy`` / ``npgettext_lazy`` calls, so that our
``makemessages`` picks them up with the very same msgids and contexts.

Run after upgrading allauth (needs GNU gettext)::

    python -m kenes.accounts.allauth_extract > src/kenes/accounts/allauth_strings.py

``tests/test_allauth_strings.py`` checks the module against allauth's own ``ru`` catalogue
(the ground truth for msgids) and against a fresh extraction.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import allauth

ALLAUTH_DIR = Path(allauth.__file__).resolve().parent

# The flows Kenes uses: e-mail + password login and sign-up, e-mail confirmation, password
# reset/change/set, e-mail management, reauthentication, TOTP + recovery codes. Not used and
# so left out: login by code, phone numbers, passkeys/WebAuthn, trusted browsers, social
# accounts, user sessions, the identity provider, and allauth's bare layout (we replace it).
TEMPLATES = [
    "account/account_inactive.html",
    "account/base_reauthenticate.html",
    "account/email.html",
    "account/email_change.html",
    "account/email_confirm.html",
    "account/login.html",
    "account/logout.html",
    "account/password_change.html",
    "account/password_reset.html",
    "account/password_reset_done.html",
    "account/password_reset_from_key.html",
    "account/password_reset_from_key_done.html",
    "account/password_set.html",
    "account/reauthenticate.html",
    "account/signup.html",
    "account/signup_closed.html",
    "account/snippets/already_logged_in.html",
    "account/snippets/warn_no_email.html",
    "account/verification_sent.html",
    "account/verified_email_required.html",
    "account/messages/cannot_delete_primary_email.txt",
    "account/messages/email_confirmation_failed.txt",
    "account/messages/email_confirmation_sent.txt",
    "account/messages/email_confirmed.txt",
    "account/messages/email_deleted.txt",
    "account/messages/logged_in.txt",
    "account/messages/logged_out.txt",
    "account/messages/password_changed.txt",
    "account/messages/password_set.txt",
    "account/messages/primary_email_set.txt",
    "account/messages/unverified_primary_email.txt",
    "account/email/account_already_exists_message.txt",
    "account/email/account_already_exists_subject.txt",
    "account/email/base_message.txt",
    "account/email/base_notification.txt",
    "account/email/email_changed_message.txt",
    "account/email/email_changed_subject.txt",
    "account/email/email_confirm_message.txt",
    "account/email/email_confirm_subject.txt",
    "account/email/email_confirmation_message.txt",
    "account/email/email_confirmation_signup_message.txt",
    "account/email/email_confirmation_signup_subject.txt",
    "account/email/email_confirmation_subject.txt",
    "account/email/email_deleted_message.txt",
    "account/email/email_deleted_subject.txt",
    "account/email/password_changed_message.txt",
    "account/email/password_changed_subject.txt",
    "account/email/password_reset_key_message.txt",
    "account/email/password_reset_key_subject.txt",
    "account/email/password_reset_message.txt",
    "account/email/password_reset_subject.txt",
    "account/email/password_set_message.txt",
    "account/email/password_set_subject.txt",
    "account/email/unknown_account_message.txt",
    "account/email/unknown_account_subject.txt",
    "mfa/authenticate.html",
    "mfa/index.html",
    "mfa/reauthenticate.html",
    "mfa/recovery_codes/base.html",
    "mfa/recovery_codes/generate.html",
    "mfa/recovery_codes/index.html",
    "mfa/totp/activate_form.html",
    "mfa/totp/base.html",
    "mfa/totp/deactivate_form.html",
    "mfa/messages/recovery_codes_generated.txt",
    "mfa/messages/totp_activated.txt",
    "mfa/messages/totp_deactivated.txt",
    "mfa/email/recovery_codes_generated_message.txt",
    "mfa/email/recovery_codes_generated_subject.txt",
    "mfa/email/totp_activated_message.txt",
    "mfa/email/totp_activated_subject.txt",
    "mfa/email/totp_deactivated_message.txt",
    "mfa/email/totp_deactivated_subject.txt",
]
# Form labels, placeholders, help texts, error and flash messages.
PYTHON = [
    "account/adapter.py",
    "account/fields.py",
    "account/forms.py",
    "mfa/adapter.py",
    "mfa/base/forms.py",
    "mfa/recovery_codes/forms.py",
    "mfa/totp/forms.py",
]
# The keywords Django's makemessages passes to xgettext for the "django" domain.
KEYWORDS = [
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "pgettext_lazy:1c,2",
    "npgettext_lazy:1c,2,3",
]

Entry = tuple[str | None, str, str | None]  # (context, msgid, msgid_plural)


def _xgettext(paths: list[Path], workdir: Path) -> str:
    out = workdir / "messages.pot"
    cmd = ["xgettext", "-L", "Python", "--from-code=UTF-8", "-o", str(out)]
    cmd += [f"--keyword={k}" for k in KEYWORDS]
    subprocess.run(cmd + [str(p) for p in paths], check=True)
    return out.read_text(encoding="utf-8") if out.exists() else ""


def extract() -> list[Entry]:
    """The (context, msgid, plural) entries of the chosen allauth files, in file order."""
    import polib
    from django.utils.translation.template import templatize

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        paths: list[Path] = []
        for i, name in enumerate(TEMPLATES):
            source = ALLAUTH_DIR / "templates" / name
            target = workdir / f"t{i:03d}.py"
            text = templatize(source.read_text(encoding="utf-8"), origin=str(source))
            target.write_text(text, encoding="utf-8")
            paths.append(target)
        paths += [ALLAUTH_DIR / name for name in PYTHON]
        catalogue = polib.pofile(_xgettext(paths, workdir))
    return [(e.msgctxt, e.msgid, e.msgid_plural or None) for e in catalogue]


def render(entries: list[Entry]) -> str:
    lines = [
        "# ruff: noqa: E501",
        '"""Every django-allauth string the flows Kenes uses can render, so that Kenes\' own catalogue',
        "translates all of them in kk, ru, ky and en (allauth ships no Kazakh catalogue).",
        "",
        "GENERATED by ``python -m kenes.accounts.allauth_extract``: do not edit by hand. The calls",
        "are never evaluated for their value; ``makemessages`` reads them (``pgettext_lazy`` and the",
        "``n…gettext_lazy`` forms are used because Django has no ``pgettext_noop``).",
        '"""',
        "",
        "from django.utils.translation import {}",
        "",
        "STRINGS = [",
    ]
    used: set[str] = set()
    for context, msgid, plural in entries:
        if context is not None and plural is not None:
            call = f"npgettext_lazy({context!r}, {msgid!r}, {plural!r}, 1)"
        elif context is not None:
            call = f"pgettext_lazy({context!r}, {msgid!r})"
        elif plural is not None:
            call = f"ngettext_lazy({msgid!r}, {plural!r}, 1)"
        else:
            call = f"gettext_noop({msgid!r})"
        used.add(call.split("(", 1)[0])
        lines.append(f"    {call},")
    lines.append("]")
    lines[lines.index("from django.utils.translation import {}")] = (
        f"from django.utils.translation import {', '.join(sorted(used))}"
    )
    return "\n".join(lines) + "\n"


def main() -> int:
    import django

    django.setup()
    sys.stdout.write(render(extract()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
