"""The public pages as the tests read them."""


def body(response):
    """The response's text (its HTML, XML or iCalendar)."""
    return response.content.decode()
