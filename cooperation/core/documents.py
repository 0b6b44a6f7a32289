"""A source's text copy cut into numbered paragraphs, and a citation's locator turned into the
place it names.

The registry keeps plain-text copies of web pages: the running text, and around it what the page
showed besides (its title, site navigation, link lists). Citations count paragraphs of running
text ("paragraph 3", "paragraph 3, item 4"), so the reading view numbers those and only those:

- a **paragraph** is a line of running text: at least :data:`MIN_WORDS` words, ending as a
  sentence ends (``. ! ? : ;`` or "…", perhaps followed by a closing quote or bracket). A line
  of text hard-wrapped over several lines (each long, none ending a sentence) is joined first;
- its **items** are the bulleted lines (``•``, ``-``, ``–``, ``*``, ``·``) right after a
  paragraph that ends with a colon (a list it introduces); item N is the Nth of them;
- everything else (titles, navigation, a bulleted menu) is kept and shown, unnumbered.

Nothing here imports a project module.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext

MIN_WORDS = 6
# A hard-wrapped line: at least this long, not ending a sentence; the next line continues it.
WRAPPED_LINE = 50
SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
BULLET = re.compile(r"^[•\-–*·]\s*")
LOCATOR = re.compile(r"^\s*(?:paragraph|para\.?|§)\s*(\d{1,4})(?:\s*,\s*item\s*(\d{1,4}))?\s*$", re.IGNORECASE)


@dataclass
class Block:
    """One piece of the document in its order: a numbered paragraph (with its items, if any) or
    other text (``number`` None: a title, navigation), as lines."""

    lines: list[str]
    number: int | None = None
    items: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number) if self.number else ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def numbered_items(self) -> list[tuple[str, str]]:
        """(anchor, text) of each item, for the template."""
        return [(paragraph_anchor(self.number, position), item) for position, item in enumerate(self.items, start=1)]


def paragraph_anchor(number: int, item: int | None = None) -> str:
    """The fragment of paragraph ``number`` (or of its item): ``paragraph-3``, ``paragraph-3-item-4``."""
    return f"paragraph-{number}" + (f"-item-{item}" if item else "")


def locator_anchor(locator: str) -> str | None:
    """The reading view's fragment for a citation's locator ("paragraph 2", "paragraph 3, item 4"),
    or None when the locator names no paragraph ("page banner", "p. 4")."""
    match = LOCATOR.match(locator or "")
    if not match:
        return None
    number, item = int(match.group(1)), match.group(2)
    if number < 1:
        return None
    return paragraph_anchor(number, int(item) if item and int(item) > 0 else None)


def locator_text(locator: str) -> str:
    """A citation's locator as the page's language writes it: "paragraph 3, item 4" is "bənd 3,
    maddə 4" on an Azerbaijani page. On an English page, and for a locator that names no
    paragraph ("page banner", "p. 4": the staff's words), it is as it was written."""
    match = LOCATOR.match(locator or "")
    if not match or int(match.group(1)) < 1 or get_language()[:2] == "en":
        return locator
    number, item = int(match.group(1)), match.group(2)
    if item and int(item) > 0:
        return gettext("paragraph %(number)s, item %(item)s") % {"number": number, "item": int(item)}
    return gettext("paragraph %(number)s") % {"number": number}


def is_running_text(line: str) -> bool:
    return len(line.split()) >= MIN_WORDS and bool(SENTENCE_END.search(line))


def unwrap(lines: list[str]) -> list[str]:
    """Lines with a hard-wrapped paragraph joined into one line; blank lines kept as ""."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        continues = (
            line
            and previous
            and len(previous) >= WRAPPED_LINE
            and not SENTENCE_END.search(previous)
            and not BULLET.match(line)
            and not BULLET.match(previous)
        )
        if continues:
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


def split_document(text: str) -> list[Block]:
    """The blocks of a text copy, in order (see the module's docstring for what is numbered)."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks: list[Block] = []
    number = 0
    in_list = False  # the previous line was a paragraph ending with a colon, or one of its items
    for line in unwrap(lines):
        if not line:
            in_list = False
            if blocks and blocks[-1].number is None and blocks[-1].lines[-1:] != [""]:
                blocks[-1].lines.append("")
            continue
        if in_list and BULLET.match(line):
            blocks[-1].items.append(BULLET.sub("", line))
            continue
        if is_running_text(line) and not BULLET.match(line):
            number += 1
            blocks.append(Block(lines=[line], number=number))
            in_list = line.rstrip("\"'”’»)]").endswith(":")
            continue
        in_list = False
        if blocks and blocks[-1].number is None:
            blocks[-1].lines.append(line)
        else:
            blocks.append(Block(lines=[line]))
    for block in blocks:
        while block.lines and not block.lines[-1]:
            block.lines.pop()
    return blocks
