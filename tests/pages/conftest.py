"""The registry of the drafts' tests (test_drafts_hidden.py and test_preview.py)."""

import pytest

from tests.helpers.drafts import drafts_world


@pytest.fixture
def world():
    """Drafts of every kind (named Quokka …) among published records that relate to them."""
    return drafts_world()
