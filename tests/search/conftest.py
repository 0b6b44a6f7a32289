"""The search tests run with the signals that keep the index current connected."""

import pytest

from cooperation.search.signals import connect_signals, disconnect_signals, signals_connected


@pytest.fixture(autouse=True)
def search_signals():
    """The index follows the records (CooperationConfig.ready() connects these in the app)."""
    was_connected = signals_connected()
    connect_signals()
    yield
    if not was_connected:
        disconnect_signals()
