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


def problems(locale_dir: Path = LOCALE_DIR) -> list[str]:
    found: list[str] = []
    for lang in LANGUAGES:
        po_path = locale_dir / lang / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            found.append(f"{po_path}: missing")
            continue
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            where = f"{po_path}:{entry.linenum}: {entry.msgid[:60]!r}"
            if "fuzzy" in entry.flags:
                found.append(f"{where} is fuzzy")
            elif entry.msgid_plural:
                if not entry.msgstr_plural or any(not v for v in entry.msgstr_plural.values()):
                    found.append(f"{where} has an empty plural translation")
            elif not entry.msgstr:
                found.append(f"{where} is untranslated")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            found.append(f"{mo_path}: missing (run `make messages`)")
            continue
        compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
        for entry in catalogue.translated_entries():
            if compiled.get((entry.msgctxt, entry.msgid)) != entry.msgstr:
                found.append(f"{mo_path}: out of date for {entry.msgid[:60]!r} (run `make messages`)")
                break
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
