"""Words of three languages folded so that the spellings people type meet: "Mingəçevir",
"Mingecevir", "mingachevir", "Мингечевир" and "Mingechevir" all find the same city.

Folding is done here, in Python, before indexing and before querying, so that it is the same on
PostgreSQL and SQLite (neither database's tokenizer folds "ə", "ı" or Cyrillic "ё"):

- :func:`fold`: the canonical form every text and every query word is compared in: lower case,
  accents and diacritics removed (ş ç ğ ö ü → s c g o u, Cyrillic ё й → е и), and the Azerbaijani
  letters without a decomposition folded to their nearest Latin letter: ə → e, ı → i;
- :func:`spellings`: the other ways a name is written in Latin letters, which become other names
  of its record: an Azerbaijani word as an English text transliterates it (ə → a, ç → ch,
  ş → sh, x → kh, ğ → gh: "Mingəçevir" → mingecevir, mingachevir, mingechevir …) and a Cyrillic
  word in Latin letters ("Мингечевир" → mingechevir);
- :func:`transliterate`: Cyrillic to Latin letters (a Cyrillic query also looks for them).

This module imports no project module (cooperation.models uses it).
"""

import itertools
import re
import unicodedata

# A word: a run of letters and digits (as cooperation.core.text.WORD).
WORD = re.compile(r"[^\W_]+")

# Letters no Unicode decomposition takes to a Latin one, folded one for one.
_LETTERS = str.maketrans({"ə": "e", "ı": "i", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "œ": "oe"})

# Azerbaijani letters as English texts transliterate them, tried one letter at a time
# (every "ə" of a word the same way): the canonical fold first.
_AZERBAIJANI = [
    ("ə", ("e", "a")),
    ("ç", ("c", "ch")),
    ("ş", ("s", "sh")),
    ("ğ", ("g", "gh")),
    ("x", ("x", "kh")),
]
# The letters that make a word Azerbaijani rather than English (an English "x" stays an x).
_AZERBAIJANI_LETTERS = set("əıçşğ")

# Russian Cyrillic in Latin letters (the common English transliteration; ё and й as fold() leaves them).
_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
        "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ә": "a", "ғ": "g", "ү": "u",
        "ө": "o", "һ": "h", "ҹ": "j", "ј": "y", "ҝ": "g", "ҡ": "q",
    }
)  # fmt: skip
_HAS_CYRILLIC = re.compile("[\u0400-\u04ff]")
_MAX_SPELLINGS = 16


def fold(text: object) -> str:
    """``text`` as the search compares it: "Mingəçevir" → "mingecevir", "Ёлка" → "елка"."""
    lowered = str(text or "").casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def words(text: object) -> list[str]:
    """The words of ``text``, folded."""
    return WORD.findall(fold(text))


def transliterate(word: str) -> str:
    """A folded Cyrillic word in Latin letters ("мингечевир" → "mingechevir"); other words as they are."""
    return word.translate(_CYRILLIC) if _HAS_CYRILLIC.search(word) else word


def spellings(word: str) -> set[str]:
    """The folded forms of one word as written (case and accents kept): the canonical fold, and
    its Latin transliterations when the word is Azerbaijani or Cyrillic."""
    folded = fold(word)
    found = {folded}
    if _HAS_CYRILLIC.search(folded):
        found.add(transliterate(folded))
        return found
    lowered = word.casefold()
    if not _AZERBAIJANI_LETTERS & set(lowered):
        return found
    choices = [options for letter, options in _AZERBAIJANI if letter in lowered]
    for picked in itertools.islice(itertools.product(*choices), _MAX_SPELLINGS):
        spelled = lowered
        for (letter, _options), replacement in zip(
            [pair for pair in _AZERBAIJANI if pair[0] in lowered], picked, strict=True
        ):
            spelled = spelled.replace(letter, replacement)
        found.add(fold(spelled))
    return found


def name_spellings(name: object) -> set[str]:
    """The folded forms of a whole name ("Mingəçevir şəhəri" → "mingecevir seheri",
    "mingachevir shahari" …), each word written the same way, as name keys hold them."""
    tokens = WORD.findall(str(name or ""))
    if not tokens:
        return set()
    forms = [sorted(spellings(token), key=lambda form: (form != fold(token), form)) for token in tokens]
    # Word by word the canonical fold, then each word's other forms alone, then all the
    # words' n-th forms together: enough to meet a name written wholly in one transliteration.
    canonical = [options[0] for options in forms]
    found = {" ".join(canonical)}
    for n in range(1, max(len(options) for options in forms)):
        found.add(" ".join(options[min(n, len(options) - 1)] for options in forms))
    for index, options in enumerate(forms):
        for option in options[1:]:
            found.add(" ".join([*canonical[:index], option, *canonical[index + 1 :]]))
    return found


# A Cyrillic query word in Latin letters, the letters an English text may write otherwise: an
# Azerbaijani "ə" is a Russian "е" but often an English "a" (Мингечевир, Mingachevir), and
# a Russian "ы" an Azerbaijani "ı", in English an "i" (Нахчыван, Nakhchivan).
_CYRILLIC_LATIN_VARIANTS = {"е": ("e", "a"), "ы": ("y", "i")}
_MAX_QUERY_FORMS = 8


def query_forms(term: str) -> list[str]:
    """What one query word is looked for as: its fold, and a Cyrillic word in Latin letters too
    ("Мингечевир" → мингечевир, mingechevir, mingachevir, mingechavir, mingachavir)."""
    folded = fold(term)
    if not _HAS_CYRILLIC.search(folded):
        return [folded]
    forms = [folded, transliterate(folded)]
    letters = [letter for letter in _CYRILLIC_LATIN_VARIANTS if letter in folded]
    positions = [i for i, char in enumerate(folded) if char in letters]
    choices = [_CYRILLIC_LATIN_VARIANTS[folded[i]] for i in positions]
    for picked in itertools.islice(itertools.product(*choices), _MAX_QUERY_FORMS):
        chars = list(folded)
        for i, latin in zip(positions, picked, strict=True):
            chars[i] = latin
        form = transliterate("".join(chars))
        if form not in forms:
            forms.append(form)
    return forms[: _MAX_QUERY_FORMS + 1]
