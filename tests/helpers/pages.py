"""The public pages as a reader sees them: a page's text, links, timeline and title (``Page``,
``get``), its HTML or its text as one line, a map's caption, markers, places and note
(``map_figure``); and records cited ``n`` times, for the pages' query-count tests."""

import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

from tests import factories as f

# Reading pages --------------------------------------------------------------------------------


class _PageParser(HTMLParser):
    """Collects the visible text of <body>, its links, and the <li> items of timelines."""

    SKIP = {"script", "style", "head", "title"}
    BLOCKS = {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "br",
        "form",
        "label",
    }

    def __init__(self):
        super().__init__()
        self.text, self.links, self.timeline, self.undated = [], [], [], []
        self._skip = 0
        self._link = None
        self._lists = []  # stack of (tag, target list or None)
        self._item = None
        self.h1 = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._break(tag)
        if tag in self.SKIP:
            self._skip += 1
        if tag == "a":
            self._link = [attrs.get("href"), []]
        if tag == "h1":
            self._in_h1 = True
        if tag in ("ol", "ul"):
            classes = (attrs.get("class") or "").split()
            target = None
            if "timeline" in classes:
                target = self.undated if "timeline-undated" in classes else self.timeline
            self._lists.append((tag, target))
        if tag == "li" and self._lists and self._lists[-1][1] is not None:
            self._item = []

    def _break(self, tag):
        if tag in self.BLOCKS:
            for collected in [self.text, self._item]:
                if collected is not None:
                    collected.append(" ")

    def handle_endtag(self, tag):
        self._break(tag)
        if tag in self.SKIP:
            self._skip -= 1
        if tag == "a" and self._link:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        if tag == "h1":
            self._in_h1 = False
        if tag == "li" and self._item is not None and self._lists and self._lists[-1][1] is not None:
            self._lists[-1][1].append(" ".join("".join(self._item).split()))
            self._item = None
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._link:
            self._link[1].append(data)
        if self._item is not None:
            self._item.append(data)
        if self._in_h1:
            self.h1.append(data)


class Page:
    def __init__(self, response):
        self.status = response.status_code
        self.html = response.content.decode()
        parser = _PageParser()
        parser.feed(self.html)
        self.text = " ".join("".join(parser.text).split())
        self.links = parser.links
        self.timeline = parser.timeline
        self.undated = parser.undated
        self.h1 = " ".join("".join(parser.h1).split())
        self.h1_count = self.html.count("<h1")

    def hrefs(self):
        return {href for href, _text in self.links}

    def links_to(self, record):
        return record.get_absolute_url() in self.hrefs()

    def title(self):
        return re.search(r"<title>(.*?)</title>", self.html, re.S).group(1).strip()


def get(client, url):
    return Page(client.get(url))


def body(response):
    """The response's text (its HTML, XML or iCalendar)."""
    return response.content.decode()


def page_text(response):
    """The page's text on one line: tags become spaces, entities are read."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# Building records -----------------------------------------------------------------------------


def map_figure(html):
    """(the caption, {a marker's title: where it leads}, the slugs of the places listed beside
    it, the note on the places left out) of the first map on a page."""
    start = html.index('<figure class="map"')
    figure = html[start : html.index("</figure>", start)]
    svg = ET.fromstring(figure[figure.index("<svg") : figure.index("</svg>") + 6])
    markers = {
        a.find("{http://www.w3.org/2000/svg}title").text: a.get("href")
        for a in svg.iter("{http://www.w3.org/2000/svg}a")
    }
    caption = re.sub(r"<[^>]+>", "", re.search(r"<figcaption.*?</figcaption>", figure, re.S).group(0))
    listed = re.findall(r'<li id="map-([\w-]+)"', figure)
    note = re.search(r'<p class="meta">(\d+ more place.*?)</p>', figure, re.S)
    return " ".join(caption.split()), markers, listed, note.group(1) if note else ""


def cite(record, n):
    """``n`` citations of ``record`` and ``n`` claims about its signing: the rows of the record page's
    sources, for the query-count tests."""
    for _ in range(n):
        f.CitationFactory(content_object=record)
        f.ClaimFactory(content_object=record, field="signed", value=f"claim {_}")


def json_ld(response):
    """The schema.org JSON-LD blocks of a page, parsed (``<script type="application/ld+json">``)."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return [json.loads(block) for block in blocks]
