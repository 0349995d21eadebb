"""The Simplified Chinese catalog covers the whole interface and is compiled."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return [entry for entry in CATALOG.read_text(encoding="utf-8").split("\n\n") if "msgid" in entry]


def test_every_interface_string_has_a_translation():
    untranslated = [
        entry
        for entry in _entries()
        if not entry.startswith(('msgid ""', "# "))
        and re.search(r'^msgstr(\[0\])? ""$', entry, re.MULTILINE)
        and not re.search(r'^msgstr(\[0\])? ""\n"', entry, re.MULTILINE)
    ]
    assert untranslated == []


def test_no_translation_is_left_fuzzy():
    assert not [entry for entry in _entries() if "#, fuzzy" in entry]


def test_the_compiled_catalog_is_what_the_site_serves():
    with translation.override("zh-hans"):
        assert translation.gettext("The seven key tasks of new industrialization") == "推进新型工业化的七项重点任务"
        assert translation.gettext("Cannot be assessed yet") == "暂无法评估"
