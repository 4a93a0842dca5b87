"""Citations: every kind of source file has a real reference, and `bluehelmet cite` names
the datasets behind a claim's answer or the whole database, as text and BibTeX."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from bluehelmet.cite import as_bibtex, as_text, citations, cite
from bluehelmet.cli import cli
from bluehelmet.sources.registry import layouts


def run(db, *args: str):
    return CliRunner().invoke(cli, [*args, "--db", str(db)])


def test_every_layout_has_a_citation():
    known = citations()
    missing = [layout.name for layout in layouts() if layout.name not in known]
    assert not missing, f"add these layouts to reference/data/citations.csv: {missing}"
    # and the table names no layout that does not exist (a renamed layout would leave it stale)
    assert set(known) <= {layout.name for layout in layouts()}
    for c in set(known.values()):
        assert c.title and c.publisher and c.url.startswith("https://"), c.key
        assert c.year == "" or re.fullmatch(r"(19|20)\d\d", c.year), c.key
        assert bool(c.license) == bool(c.license_url), c.key


def test_every_source_kind_in_the_database_is_cited(store):
    kinds = {f["layout"] for f in store.files.values()}
    assert kinds <= set(citations())
    res = cite(store)
    assert sum(r["files"] for r in res.rows) == len(store.files)
    assert len({citations()[k].key for k in kinds}) == len(res.rows)


def test_a_claim_cites_the_files_its_answer_used(store):
    ipi = cite(store, "troops(China, 2014-01) > troops(P5 - China, 2014-01)")
    assert ipi.query["verdict"] == "true" and ipi.month == "2014-01"
    assert [r["key"] for r in ipi.rows] == ["ipi_tcc_datascraper"]
    assert ipi.rows[0]["paths"] == ["ipi/tcc-datascraper/Gender.Full.csv"]
    un = cite(store, "personnel(Nepal, 2025-07) > 5000")
    assert [r["key"] for r in un.rows] == ["un_dpo_monthly"]
    assert un.rows[0]["paths"] == ["un/dpo-monthly/UN_country_contributions_2025_07.pdf"]
    assert "United Nations Department of Peace Operations (DPO) (2025)" in as_text(un)


def test_bibtex_entries_are_well_formed(store):
    text = as_bibtex(cite(store))
    entries = text.split("\n\n")
    assert len(entries) == len(cite(store).rows)
    for entry in entries:
        assert re.match(r"@misc\{[a-z0-9_]+,\n", entry)
        assert entry.count("{") == entry.count("}")
        assert re.search(r"^  title +=", entry, re.M) and re.search(r"^  url +=", entry, re.M)
    # LaTeX specials escaped: AidData's publisher "College of William & Mary"
    assert r"William \& Mary" in text and "William & Mary" not in text


def test_cli_cite(store, built_db):
    r = run(built_db, "cite", "personnel(China, 2014-01) > 1000", "--style", "bibtex")
    assert r.exit_code == 0, r.output
    assert "verdict: true (month 2014-01)" in r.output and "@misc{ipi_tcc_datascraper," in r.output
    j = run(built_db, "cite", "--all", "--format", "json")
    data = json.loads(j.output)
    assert len(data["rows"]) == len(cite(store).rows) and data["query"] == {"all": True}
    c = run(built_db, "cite", "--all", "--format", "csv")
    assert c.output.splitlines()[0] == "key,title,publisher,author,year,version,url,license,files,paths"
    one = run(built_db, "cite", "personnel(Nepal, 2025-07) > 5000", "--format", "csv").output.splitlines()
    assert one[0].startswith("month,key,") and one[1].startswith("2025-07,un_dpo_monthly,")


def test_cli_cite_needs_a_claim_or_all(synthetic_db):
    for args in ((), ("troops(China, 2014-01) > 1", "--all")):
        r = run(synthetic_db, "cite", *args)
        assert r.exit_code == 2 and "give a claim or --all" in r.output
