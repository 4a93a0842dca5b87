"""Jupyter's view of results and profiles (`_repr_html_`), read back with html.parser:
the month, the rows shown, the sources, and every value escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from bluehelmet.notebook import MAX_ROWS, MAX_SECTION_ROWS
from bluehelmet.query.result import Result, SourceRef


class Page(HTMLParser):
    """The tags opened and the text seen, and the body rows of each table."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.tables: list[int] = []  # rows in each <tbody>
        self._in_body = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tbody":
            self._in_body = True
            self.tables.append(0)
        elif tag == "tr" and self._in_body:
            self.tables[-1] += 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def test_result_shows_month_rows_grains_and_sources(store):
    res = store.personnel(country=["P5"], month="2013-12", by=["contributor"])
    page = Page(res._repr_html_())
    assert page.tables == [len(res.rows)] == [5]
    assert "month 2013-12" in page.all_text
    assert "grain: detail 2013-12..2013-12" in page.all_text
    assert "ipi/tcc-datascraper/Gender.Full.csv" in page.all_text
    assert "2,078" in page.all_text  # China, as the terminal shows it


def test_a_long_result_is_bounded_with_a_more_rows_line(store):
    res = store.rank(month="2013-12")
    assert len(res.rows) > MAX_ROWS
    page = Page(res._repr_html_())
    assert page.tables == [MAX_ROWS]
    assert f"… {len(res.rows) - MAX_ROWS:,} more rows" in page.all_text
    assert "latest" not in page.all_text and "month 2013-12" in page.all_text


def test_values_are_escaped():
    """SYNTHETIC: a hand-made result whose text would be markup if it were not escaped."""
    evil = "<script>alert('x')</script> & <b>bold</b>"
    ref = SourceRef(1, "a/<i>file</i>.csv", "layout", "detail", "0" * 64, "cite & <em>me</em>", None,
                    "2013-12", "2013-12", 1, 1, 0, 0)
    res = Result(["month", "name", "personnel"], [{"month": "2013-12", "name": evil, "personnel": 1234}],
                 sources=[ref], notes=["<u>note</u>"], month="2013-12")
    html = res._repr_html_()
    page = Page(html)
    assert not {"script", "b", "i", "em", "u"} & set(page.tags)
    assert evil in page.all_text and "a/<i>file</i>.csv" in page.all_text and "<u>note</u>" in page.all_text
    assert "1,234" in page.all_text


def test_profile_shows_facts_and_sections(store):
    profile = store.mission("MINUSMA", month="2014-06")
    page = Page(profile._repr_html_())
    text = page.all_text
    assert profile.title in text and "month 2014-06" in text
    assert "12,640" in text  # the authorised strength among the facts
    # one table of facts, then one per non-empty section, each at most MAX_SECTION_ROWS rows
    shown = [s for s in profile.sections.values() if s.rows]
    assert page.tables[0] == len(profile.facts)
    assert page.tables[1:] == [min(len(s.rows), MAX_SECTION_ROWS) for s in shown]
    for name in profile.sections:
        assert name.replace("_", " ") in text
    country = Page(store.country("Nepal")._repr_html_()).all_text
    assert "Nepal" in country and "month " in country
