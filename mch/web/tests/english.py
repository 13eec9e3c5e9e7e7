"""Find English interface text in a page or an API answer shown in Vietnamese.

Two detectors, so that neither a missing catalogue entry nor a string never marked for
translation slips through:

- every message of the project's catalogues (mch/**/locale/vi) and of Django's and DRF's, in
  its English original: a literal run of 12 characters or more of a msgid (the text between its
  placeholders) found in the visible text means the translation was not used;
- a stop-list of common English words that no Vietnamese sentence holds (words that are also
  Vietnamese without their marks, such as "to", "an", "in", "do", "no", "con", are left out).

Visible text is the text of the page outside <script>, <style> and <template>, plus the
attributes a person reads (title, placeholder, aria-label, alt). Left out as legitimately
Latin: codes (<code>, <kbd>, <samp>: indicator, ICD, antigen codes) and content marked as
another language (``lang="en"``: an indicator's English name, the catalogue's technical notes).
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import rest_framework

ROOT = Path(__file__).resolve().parents[3]
STOP_WORDS = frozenset(
    """
    the of and is not this that field fields must required page next previous none with your
    you please valid ensure characters choice found method allowed forbidden permission denied
    credentials provided request throttled expected seconds minutes invalid error search
    password from are has have been there was were will should which what when enter select
    total back home save cancel submit download upload yes were here click more less
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{[^}]*\}\}|\{\w*\}|%%")
MIN_RUN = 12


class _Visible(HTMLParser):
    HIDDEN = {"script", "style", "template", "code", "kbd", "samp"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        language = (values.get("lang") or "vi").lower()
        hidden = self.hidden or tag in self.HIDDEN or not language.startswith("vi")
        if tag not in self.VOID:
            self.stack.append((tag, hidden))
        if not hidden:
            self.parts += [value for name in READ_ATTRIBUTES if (value := values.get(name))]

    def handle_endtag(self, tag: str) -> None:
        if any(open_tag == tag for open_tag, _hidden in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _catalogue_files() -> list[Path]:
    django_dir = Path(django.__file__).parent
    drf_dir = Path(rest_framework.__file__).parent
    return [
        *sorted((ROOT / "mch").glob("**/locale/vi/LC_MESSAGES/django.po")),
        django_dir / "conf/locale/vi/LC_MESSAGES/django.mo",
        django_dir / "contrib/auth/locale/vi/LC_MESSAGES/django.mo",
        django_dir / "contrib/humanize/locale/vi/LC_MESSAGES/django.mo",
        drf_dir / "locale/vi/LC_MESSAGES/django.mo",
    ]


@functools.cache
def english_runs() -> frozenset[str]:
    """Literal runs of every catalogue message whose Vietnamese differs from its English."""
    runs: set[str] = set()
    for path in _catalogue_files():
        if not path.exists():
            continue
        catalogue = polib.pofile(str(path)) if path.suffix == ".po" else polib.mofile(str(path))
        for entry in catalogue:
            if not entry.msgid or entry.msgstr == entry.msgid:
                continue
            for run in PLACEHOLDER.split(entry.msgid):
                run = " ".join(run.split()).strip(" .,:;()")
                if len(run) >= MIN_RUN and re.search(r"[a-z]{3}", run):
                    runs.add(run)
    return frozenset(runs)


def english_in(text: str) -> list[str]:
    """What in ``text`` (already visible text) reads as English; empty when none."""
    found = sorted({run for run in english_runs() if run in text})
    words = {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in STOP_WORDS}
    found += sorted(f"word {w!r}" for w in words)
    return found
