"""Who and where a sentence speaks of, each with its role.

An Aho-Corasick automaton (``pyahocorasick``: every name found in one pass over the
sentence, whatever the number of names) finds names in any case, at word boundaries,
the longest first: countries and their aliases, groups and regions, mission
acronyms ("MINUSMA", "Minusma", "Monuc") and full names, and the demonyms of countries
("Chinese", "Nepalese"; from the ``countryinfo`` package's country data). Each name is
then given a role from the words around it:

- ``contributor``: the country that sends ("China", "Chinese peacekeepers", "from Ghana");
- ``host``: the country a mission is in ("the UN mission in Haiti", "peacekeepers in
  Mali"), read as that mission (MINUSTAH in 2010), never as a contributor;
- ``mission``: a mission named ("MINUSMA", "the AU-UN mission in Darfur" = UNAMID);
- ``group``: a group or region of contributors ("the P5", "African countries");
- ``nonun``: a force that is not a UN peacekeeping operation (AMISOM, AU troops, French
  national forces in Mali, NATO's KFOR): figures about it are outside the fact base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, KeysView

if TYPE_CHECKING:
    from ...db import Database

__all__ = ["Entity", "read_entities", "mission_hosted", "demonyms", "UN_MARKER", "NON_UN"]

# group names as journalists write them
_GROUP_PHRASES = {"permanent members": "P5", "permanent five": "P5", "p-5": "P5", "p5": "P5",
                  "permanent members of the security council": "P5", "security council's permanent members": "P5",
                  "big five": "P5", "european union": "EU", "arab world": "ARAB_LEAGUE", "arab countries": "ARAB_LEAGUE",
                  "arab states": "ARAB_LEAGUE", "latin american": "Latin America and the Caribbean",
                  "south american": "South America", "central american": "Central America",
                  "north american": "Northern America", "west african": "Western Africa", "east african": "Eastern Africa",
                  "southeast asian": "South-eastern Asia", "south asian": "Southern Asia", "south-east asian": "South-eastern Asia", "asian": "Asia",
                  "african": "Africa", "european": "Europe", "africans": "Africa", "asians": "Asia",
                  "europeans": "Europe", "non-aligned movement": "NAM", "arab league": "ARAB_LEAGUE",
                  "african countries": "Africa", "asian countries": "Asia", "european countries": "Europe",
                  "latin american countries": "Latin America and the Caribbean", "south asian countries": "Southern Asia",
                  "south asia": "Southern Asia", "latin america": "Latin America and the Caribbean"}
# demonyms the country data (countryinfo) lacks, or gives to several countries ("Chinese"
# is also Hong Kong's and Macao's, "American" the Northern Mariana Islands')
_DEMONYMS = {"nepali": "NPL", "american": "USA", "korean": "KOR", "chinese": "CHN", "indian": "IND",
             "french": "FRA", "argentine": "ARG", "argentinian": "ARG", "norwegian": "NOR", "ecuadorian": "ECU",
             "kazakh": "KAZ", "saudi": "SAU", "botswanan": "BWA", "filipino": "PHL"}
# places that name a mission rather than a country
_PLACES = {"darfur": "UNAMID", "kosovo": "UNMIK", "western sahara": "MINURSO", "abyei": "UNISFA",
           "golan": "UNDOF", "golan heights": "UNDOF", "kashmir": "UNMOGIP", "east timor": "UNMISET",
           "eastern congo": "MONUSCO", "eastern drc": "MONUSCO"}
# words that say a sentence speaks of UN peacekeeping
UN_MARKER = re.compile(r"\bu\.?n\.?\b|\bunited nations\b|peace[- ]?keep|\bpeace ?missions?\b|\bdpk?o\b|blue (?:helmets?|berets?)|\bminus|\bmonus|\bunmi|\bunifil"
                       r"|\bunamid|\bunfi|\bunis|\bundof|\bunto|\bmonuc|\bonu", re.I)
# forces that are not UN peacekeeping operations
NON_UN = re.compile(
    r"\b(?:amisom|atmis|afisma|misca|mnjtf|kfor|sfor|ifor|isaf|resolute support|barkhane|serval|sangaris|eufor|eutm"
    r"|wagner|ecomog|g5 sahel|saMIDRC|samim|sadc (?:mission|force|troops)|ecowas (?:force|troops|mission|standby)"
    r"|nato(?:-led)? (?:force|troops|mission|operation)|coalition (?:forces|troops)|multinational force"
    r"|african union (?:mission|troops|force|forces|soldiers|peacekeepers|operation)"
    r"|\bau (?:mission|troops|force|forces|soldiers|peacekeepers|operation)"
    r"|(?:french|american|u\.?s\.?|british|russian|chinese|kenyan|ethiopian|ugandan|rwandan|chadian|malian) "
    r"(?:(?:national|combat|special) )?(?:forces|military forces|army)\b|france's (?:force|forces|troops|soldiers)"

    r"|national (?:army|armed forces|military)|armed forces of|standing army|active(?:-duty)? (?:troops|personnel)"
    r"|un-(?:authori[sz]ed|mandated|sanctioned)"
    r"|non-un\b|multinational (?:observer )?force|african (?:union )?peace operations?|\bun and au\b"
    r"|united nations and african)",
    re.I)
_HYBRID = re.compile(r"\b(?:au-un|au/un|african union-united nations|african union/united nations|hybrid)\b", re.I)


@dataclass(frozen=True)
class Entity:
    code: str  # ISO3, group code, or mission acronym
    kind: str  # country | group | mission
    role: str  # contributor | host | mission | group | nonun
    start: int  # character offsets in the sentence
    end: int
    text: str


def _names(db: Database) -> Any:
    """The automaton over every name the database knows, built once per open database."""
    return db.once("prose_names", lambda: _build(db))


def _demonyms(db: Database) -> dict[str, str]:
    """Demonym -> ISO3 for the countries in the database; a demonym two countries share
    ("Congolese", "Dominican") names neither."""
    from countryinfo import all_countries

    seen: dict[str, set[str]] = {}
    for c in all_countries():
        try:
            info: Any = c.info()
        except Exception:  # a malformed entry in the package's data: skip it, keep the others
            continue
        iso3 = (info.get("ISO") or {}).get("alpha3")
        if info.get("demonym") and isinstance(iso3, str) and iso3 in db.countries:
            seen.setdefault(str(info["demonym"]).lower(), set()).add(iso3)
    return {d: next(iter(codes)) for d, codes in seen.items() if len(codes) == 1}


def _demonym_forms(db: Database) -> dict[str, str]:
    """Every demonym the reader knows, in lower case, and its plural ("malian", "malians";
    not "chineses"), each with its country; read once per open database."""
    def build() -> dict[str, str]:
        forms: dict[str, str] = {}
        for demonym, iso3 in (_demonyms(db) | _DEMONYMS).items():
            if iso3 in db.countries:
                forms.setdefault(demonym, iso3)
                if not demonym.endswith(("ese", "sh", "ch", "ss")):  # "Brazilians", "Bangladeshis"
                    forms.setdefault(demonym + "s", iso3)
        return forms
    return db.once("prose_demonyms", build)


def demonyms(db: Database) -> KeysView[str]:
    """Every demonym the reader knows, as written in lower case ("malian", "malians"): a
    view of the table worked out once per open database, not a copy per question."""
    return _demonym_forms(db).keys()


def _build(db: Database) -> Any:
    import ahocorasick

    from ...reference import country_index

    names: dict[str, tuple[str, str]] = {}  # lower text -> (code, kind)
    for iso3, (name, *_rest) in db.countries.items():
        names[name.lower()] = (iso3, "country")
    idx = country_index()
    for c in idx.countries.values():
        if c.iso3 in db.countries:
            names.setdefault(c.official_name.lower(), (c.iso3, "country"))
    for alias, iso3 in idx.aliases.items():
        if len(alias) > 3 and iso3 in db.countries:
            names.setdefault(alias, (iso3, "country"))
    for code, (gname, kind) in db.groups.items():
        names.setdefault(gname.lower(), (code, "group"))
        if kind == "political" and len(code) > 2:
            names.setdefault(code.lower(), (code, "group"))
    for phrase, code in _GROUP_PHRASES.items():
        if code in db.groups:
            names[phrase] = (code, "group")
    for demonym, iso3 in _demonym_forms(db).items():
        names.setdefault(demonym, (iso3, "demonym"))
    for alias, acronym in db.missions.items():
        names.setdefault(alias.lower(), (acronym, "mission"))
    for row in db.mission_directory():
        name = (row["name"] or "").lower()
        # "United Nations Mission in Haiti" is UNMIH's name, and also how a writer describes
        # MINUSTAH: a generic name is read through its host, at the sentence's month
        # nor is a name no writer tells from the words themselves ("the United Nations Force",
        # UNFOR's, is any mission's force)
        if name and not re.fullmatch(r"united nations (?:\w+ )?(?:mission|operation|force|office)s? (?:in|for) (?:the )?"
                                     r"[\w' -]+|united nations (?:peace )?(?:force|mission|operation)s?", name):
            names.setdefault(name, (row["acronym"], "mission"))
            if name.startswith("united nations ") and len(name.split()) >= 5:  # "the U.N. Disengagement Observer Force"
                # (not "the U.N. force", which is any mission's)
                for short in ("u.n. ", "un "):
                    names.setdefault(short + name[len("united nations "):], (row["acronym"], "mission"))
    for place, acronym in _PLACES.items():
        if acronym.upper() in db.missions:
            names.setdefault(place, (db.missions[acronym.upper()], "place"))
    for word in ("congo", "guinea", "korea", "sudan republic"):  # ambiguous alone: named by neither
        names.pop(word, None)
    automaton = ahocorasick.Automaton()
    for name, (code, kind) in names.items():
        automaton.add_word(name, (len(name), code, kind))
    automaton.make_automaton()
    return automaton


def _lower(text: str) -> str:
    """``text`` in lower case, one character for one (so offsets hold): a character whose
    lower case is longer ("İ") is kept as it is."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# the case-sensitive short forms a lower-case matcher cannot take ("US" is also "us")
_SHORT = re.compile(r"\b(U\.S\.(?:A\.)?|US|USA|U\.K\.|UK|UAE|DRC|DR Congo|CAR|ROK|PRC|AU)(?![\w])(?!\s*dollars)")
_SHORT_CODES = {"U.S.": "USA", "U.S.A.": "USA", "US": "USA", "USA": "USA", "U.K.": "GBR", "UK": "GBR",
                "UAE": "ARE", "DRC": "COD", "DR Congo": "COD", "CAR": "CAF", "ROK": "KOR", "PRC": "CHN"}


# an article's dateline: "Kigali, Rwanda: ", "NAIROBI, 1 Jun 2006 (IRIN) - ": where it was
# written, never who sends troops
_DATELINE = re.compile(r"^\s*(?:[A-Z][\w.'-]+(?:\s[A-Z][\w.'-]+)?,\s+[A-Z][\w.'-]+(?:\s[A-Z][\w.'-]+)?\s*:\s"
                       r"|[A-Z][A-Z .'-]{2,},?[\w ,.]{0,25}?\d{4}\s*(?:\([^)]{1,20}\))?\s*[-–—]\s)")


def read_entities(db: Database, text: str) -> list[Entity]:
    """Every name in ``text`` with its role, in order; the longest name wins an overlap."""
    automaton = _names(db)
    low = _lower(text)
    head = m.end() if (m := _DATELINE.match(text)) else 0
    found: list[tuple[int, int, str, str]] = []
    for last, (length, code, kind) in automaton.iter(low):
        s, e = last - length + 1, last + 1
        if s < head:
            continue
        # whole words only: "Niger" is not in "Nigeria", "Mali" not in "Somalia"
        if (s > 0 and low[s - 1].isalnum()) or (e < len(low) and low[e].isalnum()):
            continue
        found.append((s, e, code, kind))
    # "the Defence Forces" is Ireland's army's own name (others carry their country's:
    # "Uganda People's Defence Force", "Israel Defense Forces")
    for m in re.finditer(r"\bDefence Forces\b", text[head:]):
        s0 = head + m.start()
        before = re.search(r"([\w'’]+)\s+$", text[:s0])
        if "IRL" in db.countries and (before is None or not before.group(1)[0].isupper() or before.group(1) == "The"):
            found.append((s0, s0 + len("Defence Forces"), "IRL", "demonym"))
    for m in _SHORT.finditer(text, head):
        if m.group(1) == "AU":
            if not _HYBRID.match(text, m.start()):  # the AU-UN mission is UNAMID, a UN mission
                found.append((m.start(), m.end(), "AU", "group"))
            continue
        code = _SHORT_CODES[m.group(1)]
        if code in db.countries:
            found.append((m.start(), m.end(), code, "country"))
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[Entity] = []
    end = -1
    for s, e, code, kind in found:
        if s < end:
            continue
        end = e
        entity = _with_role(text, s, e, code, kind)
        # "in Abyei, the Central African Republic and South Sudan": a list of places goes on
        if out and entity.role == "contributor" and out[-1].role in ("host", "mission") and \
                re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", text[out[-1].end:s].lower()) and \
                not re.match(r"\s+(?:has|have|is|was|had|remains|became|ranks|contributes|sends|deploys)\b", text[e:]):
            # (but "..., the Central African Republic, Rwanda has earned its place": the list
            # ended, and the name is the subject of the sentence)
            entity = Entity(entity.code, entity.kind, "host", entity.start, entity.end, entity.text)
        out.append(entity)
    return out


def _with_role(text: str, s: int, e: int, code: str, kind: str) -> Entity:
    low = text.lower()
    before, after = low[max(0, s - 40):s], low[e:e + 40]
    word = text[s:e]
    if kind == "place" and code == "MONUSCO":  # "eastern Congo": MONUC before mid-2010, MONUSCO after
        return Entity("COD", "country", "host", s, e, word)
    if kind in ("mission", "place"):
        return Entity(code, "mission", "mission", s, e, word)
    if kind == "group":
        if code == "AU" and _HYBRID.search(low[max(0, s - 5):e + 10]):
            # "the UN African Union Hybrid Mission in Darfur", "the AU-UN mission": UNAMID
            return Entity("UNAMID", "mission", "mission", s, e, word)
        if re.match(r"\s+(?:nation|country|state)\b", after):
            return Entity(code, "group", "detail", s, e, word)  # "the West African nation": one country, named before
        if re.search(r"\b(?:in|across|throughout|to|within)\s+(?:the\s+)?(?:african\s+)?$", before) and \
                code not in ("P5", "AU", "EU", "NATO", "ASEAN", "G77", "NAM", "OIC", "ARAB_LEAGUE", "G4", "A3"):
            return Entity(code, "group", "place", s, e, word)  # "peacekeepers in Africa": where, not who
        if code == "AU" and re.match(r"[\s-]*(?:mission|troops|force|forces|soldiers|peacekeepers|operation|-led)",
                                     after):
            return Entity(code, "group", "nonun", s, e, word)
        return Entity(code, "group", "group", s, e, word)
    iso3 = code
    if re.search(r"\b(?:most|many|some|half|mainly|mostly|largely|chiefly)\s+(?:of\s+(?:them|whom)\s+)?(?:from|are|were)?"
                 r"\s*(?:[\w'-]+(?:\s[\w'-]+)?(?:,\s*|\s+and\s+|,\s+and\s+))*$", before):
        return Entity(iso3, "country", "detail", s, e, word)  # "7,000 troops, most of them from Brazil"
    if kind == "demonym" and re.match(r"\s+(?:acronym|initials|name|language|translation|spelling|word)\b", after):
        return Entity(iso3, "country", "detail", s, e, word)  # "known by its French acronym MINUSCA"
    if kind == "demonym":
        return Entity(iso3, "country", "contributor", s, e, word)
    # "the UN mission in Haiti", "peacekeepers in southern Lebanon", "deployed to South
    # Sudan", "between Sudan and South Sudan", "from Lebanon to the DRC": the host
    if re.match(r"\s+(?:peace(?:keeping)?\s+)?(?:mission|operation)\b", after):
        return Entity(iso3, "country", "host", s, e, word)  # "the Mali mission": the mission in Mali
    if re.search(r"\b(?:leave|leaving|left|withdraw(?:n|ing)? from|pull(?:ed|ing)? out of|out of"
                 r"|return(?:ed|ing)? (?:home )?from|back from)\s+(?:the\s+)?$", before):
        return Entity(iso3, "country", "host", s, e, word)  # "peacekeepers ... to leave Ivory Coast"
    if re.search(r"\b(?:in|to|into|across|throughout|within|inside|between)\s+(?:the\s+)?(?:(?:south|north|east|west)"
                 r"(?:ern)?\s+)?$", before) or re.search(r"\bfrom\s+(?:the\s+)?$", before) and \
            re.match(r"\s+to\b", after):
        return Entity(iso3, "country", "host", s, e, word)
    # "in the Golan Heights, Syria", "between Sudan and South Sudan", "in Asmara (Eritrea)":
    # beside a place already named
    if re.search(r"(?:heights|region|province|area|sudan|border|city),\s*$|\bbetween\s+[\w\s]+\s+and\s+$", before) or \
            re.search(r"\b(?:in|at|to|from)\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?,?\s*\($", text[max(0, s - 40):s]) and \
            after.startswith(")"):
        return Entity(iso3, "country", "host", s, e, word)
    if re.search(r"(?:mission|operation|force|missions|operations)\s+(?:for|of)\s+(?:the\s+)?$", before) or \
            re.search(r"(?:areas|zones|countries|places|missions|operations|theatres|theaters)\s+(?:such as|including|like)"
                      r"\s+(?:[\w' -]+,\s+)*(?:and\s+)?$", before):
        return Entity(iso3, "country", "host", s, e, word)
    return Entity(iso3, "country", "contributor", s, e, word)


def mission_hosted(db: Database, iso3: str, month: date) -> str | None:
    """The UN peacekeeping mission in ``iso3`` at ``month``: the one with personnel then;
    of several, the one whose name names the country; else none (the sentence is ambiguous)."""
    rows = [r for r in db.mission_directory() if iso3 in r["hosts"] and r["first_personnel"] is not None
            and r["first_personnel"] <= month <= r["last_personnel"]]
    if len(rows) > 1:
        rows = [r for r in rows if r["type"] == "peacekeeping"] or rows
    if len(rows) > 1:
        country = db.countries[iso3][0].lower() if iso3 in db.countries else iso3.lower()
        rows = [r for r in rows if country in (r["name"] or "").lower()] or rows
    return rows[0]["acronym"] if len(rows) == 1 else None
