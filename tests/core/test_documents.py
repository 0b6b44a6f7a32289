"""A text copy cut into numbered paragraphs, and locators turned into anchors
(cooperation/core/documents.py)."""

import pytest

from cooperation.core.documents import locator_anchor, split_document
from cooperation.seed.loader import SEED_DATA_DIR


def numbered(blocks):
    return [block for block in blocks if block.number]


# The seed source's notes say how many paragraphs each copy has, counted as its citations count them.
@pytest.mark.parametrize(
    ("name", "paragraphs", "first_words"),
    [
        ("000_d6e91c9af913b4d4.txt", 7, "The main partner of the Republic"),
        ("001_40a6e35fc54e5053.txt", 5, "Nowadays the Republic of Azerbaijan"),
        ("002_15ce46880ba8fcb2.txt", 15, "The one of the main activity directions"),
        ("003_4bb4d4bbcca6b4e5.txt", 9, "IOM Director General António Vitorino has held"),
        ("004_892781f73e6d3cb1.txt", 6, "WHO WE AREThe International Organization"),
    ],
)
def test_split_document_numbers_the_seed_copies_as_their_citations_count(name, paragraphs, first_words):
    blocks = split_document((SEED_DATA_DIR / "sources" / name).read_text(encoding="utf-8"))

    assert [block.number for block in numbered(blocks)] == list(range(1, paragraphs + 1))
    assert numbered(blocks)[0].text.startswith(first_words)


def test_split_document_keeps_a_list_as_the_items_of_the_paragraph_that_introduces_it():
    blocks = split_document((SEED_DATA_DIR / "sources" / "001_40a6e35fc54e5053.txt").read_text(encoding="utf-8"))
    third = numbered(blocks)[2]

    assert third.text.endswith("participated in the following Working Groups:")
    assert len(third.items) == 5
    assert third.items[3] == "On migration, human trafficking and IDPs;"
    assert third.numbered_items[3] == ("paragraph-3-item-4", "On migration, human trafficking and IDPs;")


def test_split_document_keeps_titles_and_navigation_unnumbered_and_in_order():
    text = "Site name\nHome\n\nA title\n\nThe first paragraph says something in a sentence.\n- Menu\n- Links\n"
    blocks = split_document(text)

    assert [(block.number, block.text, block.items) for block in blocks] == [
        (None, "Site name\nHome\n\nA title", []),
        (1, "The first paragraph says something in a sentence.", []),
        (None, "- Menu\n- Links", []),  # a menu after a paragraph that does not end with a colon
    ]


def test_split_document_joins_a_hard_wrapped_paragraph():
    text = (
        "The agreement was signed in Baku on 8 December 1999 between the Government\n"
        "and the organisation, and entered into force on signature.\n\nA second paragraph, short but whole.\n"
    )

    assert [block.text for block in numbered(split_document(text))] == [
        "The agreement was signed in Baku on 8 December 1999 between the Government and the organisation, "
        "and entered into force on signature.",
        "A second paragraph, short but whole.",
    ]


def test_paragraph_anchors():
    blocks = numbered(
        split_document("One sentence that is long enough here.\n\nAnother sentence that is long enough too.\n")
    )

    assert [block.anchor for block in blocks] == ["paragraph-1", "paragraph-2"]


@pytest.mark.parametrize(
    ("locator", "anchor"),
    [
        ("paragraph 2", "paragraph-2"),
        ("Paragraph 12", "paragraph-12"),
        ("paragraph 3, item 4", "paragraph-3-item-4"),
        ("para. 5", "paragraph-5"),
        ("page banner", None),
        ("p. 4", None),
        ("", None),
        ("paragraph 0", None),
        ("paragraph 2 and 3", None),
    ],
)
def test_locator_anchor(locator, anchor):
    assert locator_anchor(locator) == anchor
