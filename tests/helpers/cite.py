"""Reading a record's citation as BibTeX, strictly (no BibTeX parser is installed)."""

import re

# One BibTeX entry as the registry writes it: @misc{key, then one `name = {value},` a line, each
# value's braces balanced (at most one level inside, as in a title's double braces), then `}`.
ESCAPE = r"\\textbackslash\{\}|\\\^\{\}|\\~\{\}|\\[\\{}%&$#_^~]"  # what bibtex_escape() writes
TEXT = rf"(?:[^{{}}\\]|{ESCAPE})*"
BRACED = rf"\{{(?:{TEXT}|\{{{TEXT}\}})*\}}"
BIBTEX_ENTRY = re.compile(rf"@misc\{{(?P<key>[A-Za-z0-9_:-]+),\n(?P<fields>(?:  [a-z]+ = {BRACED},\n)+)\}}\n")
BIBTEX_FIELD = re.compile(rf"  (?P<name>[a-z]+) = (?P<value>{BRACED}),\n")


def parse_bibtex(text):
    """(key, {field: value without its outer braces}) of one entry; fails on anything else."""
    match = BIBTEX_ENTRY.fullmatch(text)
    assert match, text
    return match["key"], {m["name"]: m["value"][1:-1] for m in BIBTEX_FIELD.finditer(match["fields"])}
