"""The English catalogue is complete (issue #19): every string a template marks for
translation has an English msgstr in ``locale/en/LC_MESSAGES/django.po``. Strings added
with the plan versions, the finance page, the import guard and the error pages (已被第 N
版取代, the finance note, the import preview's warning heading, 表单已失效 …) had none and
showed in Chinese on the English pages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "doudi" / "web"
PO = WEB / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: a keyword and its quoted text on one line of a .po file
LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def catalogue() -> dict[str, str]:
    """msgid → msgstr of the .po (its header, the empty msgid, left out)."""
    entries: dict[str, str] = {}
    for block in PO.read_text("utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            found = LINE.match(line)
            if found:
                key = found.group(1)
                fields[key] = ast.literal_eval(found.group(2))
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)  # a continued string
        if fields.get("msgid"):
            entries[fields["msgid"]] = fields.get("msgstr", "")
    return entries


def marked(_django: None) -> dict[str, str]:
    """Every msgid the templates mark ({% translate %}, {% blocktranslate %}), as
    Django's makemessages reads them, with the template that marks it."""
    from django.utils.translation.template import templatize

    found: dict[str, str] = {}
    for template in sorted((WEB / "templates").rglob("*.html")):
        source = templatize(template.read_text("utf-8"), origin=str(template))
        for literal in re.findall(r"gettext\((u'(?:[^'\\]|\\.)*')\)", source):
            found.setdefault(ast.literal_eval(literal), template.name)
    return found


def test_every_msgid_has_an_english_msgstr():
    entries = catalogue()
    assert len(entries) > 150  # the parser reads the catalogue
    empty = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert not empty, f"no English for: {empty}"


def test_every_msgstr_keeps_the_placeholders_of_its_msgid():
    wrong = {
        msgid: msgstr
        for msgid, msgstr in catalogue().items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    }
    assert not wrong


def test_every_string_a_template_marks_is_in_the_catalogue(_django):
    strings = marked(_django)
    assert "已被第 %(number)s 版取代" in strings  # the reader finds blocktranslate's too
    missing = {msgid: where for msgid, where in strings.items() if msgid not in catalogue()}
    assert not missing, f"not in django.po: {missing}"
