"""Check (and with --compile, compile) the translation catalogues.

Every entry in kk, ru, ky and en must have a non-empty, non-fuzzy translation, and the
compiled .mo files must match the .po sources. Uses polib, so no GNU gettext is needed on
the machine. Run as ``python -m kenes.common.i18ncheck [--compile]``.
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("kk", "ru", "ky", "en")


def _entry_problem(entry: polib.POEntry) -> str | None:
    if "fuzzy" in entry.flags:
        return "is fuzzy"
    if entry.msgid_plural:
        if not entry.msgstr_plural or any(not v for v in entry.msgstr_plural.values()):
            return "has an empty plural translation"
        return None
    return None if entry.msgstr else "is untranslated"


def _catalogue_problems(po_path: Path) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    found = []
    for entry in catalogue:
        problem = None if entry.obsolete else _entry_problem(entry)
        if problem:
            found.append(f"{po_path}:{entry.linenum}: {entry.msgid[:60]!r} {problem}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [*found, f"{mo_path}: missing (run `make messages`)"]
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    for entry in catalogue.translated_entries():
        if compiled.get((entry.msgctxt, entry.msgid)) != entry.msgstr:
            found.append(f"{mo_path}: out of date for {entry.msgid[:60]!r} (run `make messages`)")
            break
    return found


def problems(locale_dir: Path = LOCALE_DIR) -> list[str]:
    found: list[str] = []
    for lang in LANGUAGES:
        po_path = locale_dir / lang / "LC_MESSAGES" / "django.po"
        if po_path.exists():
            found.extend(_catalogue_problems(po_path))
        else:
            found.append(f"{po_path}: missing")
    return found


def compile_all(locale_dir: Path = LOCALE_DIR) -> None:
    for lang in LANGUAGES:
        po_path = locale_dir / lang / "LC_MESSAGES" / "django.po"
        if po_path.exists():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def main() -> int:
    if "--compile" in sys.argv:
        compile_all()
    found = problems()
    for line in found:
        print(line)
    print(f"translations: {len(found)} problem(s) in {', '.join(LANGUAGES)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
