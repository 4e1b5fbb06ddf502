"""Every interface string is translated in kk, ru, ky and en, and the compiled catalogues
match their sources (so a fresh machine needs no GNU gettext)."""

from django.utils import translation

from kenes.common.i18ncheck import problems


def test_every_catalogue_is_complete_and_compiled():
    assert problems() == []


def test_a_string_reads_differently_in_each_language():
    rendered = set()
    for lang in ("kk", "ru", "ky", "en"):
        with translation.override(lang):
            rendered.add(translation.gettext("Skip to main content"))
    assert len(rendered) == 4


def test_english_is_the_source_text_itself():
    import polib

    from kenes.common.i18ncheck import LOCALE_DIR

    catalogue = polib.pofile(str(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"))
    wrong = [e.msgid for e in catalogue if not e.obsolete and not e.msgid_plural and e.msgstr != e.msgid]
    assert wrong == []
