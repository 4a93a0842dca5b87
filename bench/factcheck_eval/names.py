"""Country name -> ISO3 for the IPI and UN PDF spellings (independent of bluehelmet)."""
import functools
import re

import pycountry

ALIASES = {
    "bolivia": "BOL", "bolivia (plurinational state of)": "BOL", "bolivia, plurinational state of": "BOL",
    "brunei": "BRN", "brunei darussalam": "BRN", "cape verde": "CPV", "cabo verde": "CPV",
    "cote d ivoire": "CIV", "cote d'ivoire": "CIV", "côte d'ivoire": "CIV", "côte d’ivoire": "CIV",
    "cote d’ivoire": "CIV", "cote divoire": "CIV", "côte divoire": "CIV", "ivory coast": "CIV",
    "czech republic": "CZE", "czechia": "CZE", "dr congo": "COD",
    "democratic republic of the congo": "COD", "democratic republic of congo": "COD",
    "dem. rep. of the congo": "COD", "congo": "COG", "republic of the congo": "COG",
    "iran": "IRN", "iran (islamic republic of)": "IRN", "iran, islamic republic of": "IRN",
    "macedonia": "MKD", "north macedonia": "MKD", "the former yugoslav republic o": "MKD",
    "the former yugoslav republic of macedonia": "MKD", "fyrom": "MKD",
    "moldova": "MDA", "republic of moldova": "MDA", "republic of korea": "KOR", "korea": "KOR",
    "south korea": "KOR", "korea, republic of": "KOR", "russia": "RUS", "russian federation": "RUS",
    "tanzania": "TZA", "united republic of tanzania": "TZA", "turkey": "TUR", "türkiye": "TUR",
    "turkiye": "TUR", "united kingdom": "GBR", "uk": "GBR",
    "united kingdom of great britain and northern ireland": "GBR",
    "united states": "USA", "united states of america": "USA", "usa": "USA",
    "venezuela": "VEN", "venezuela (bolivarian republic of)": "VEN",
    "venezuela, bolivarian republic of": "VEN", "viet nam": "VNM", "vietnam": "VNM",
    "gambia": "GMB", "the gambia": "GMB", "gambia (republic of the)": "GMB", "lao people's democratic republic": "LAO",
    "laos": "LAO", "syria": "SYR", "syrian arab republic": "SYR", "swaziland": "SWZ", "eswatini": "SWZ",
    "timor leste": "TLS", "timor-leste": "TLS", "east timor": "TLS", "serbia and montenegro": "SCG",
    "yugoslavia": "YUG", "federal republic of yugoslavia": "YUG", "kyrgyz republic": "KGZ",
    "micronesia": "FSM", "micronesia (federated states of)": "FSM", "slovak republic": "SVK",
    "palestine": "PSE", "state of palestine": "PSE", "guinea bissau": "GNB", "guinea-bissau": "GNB",
    "sao tome and principe": "STP", "st. lucia": "LCA", "saint lucia": "LCA",
    "bosnia-herzegovina": "BIH", "bosnia and herzegovina": "BIH", "holy see": "VAT",
    "democratic people's republic of korea": "PRK", "kosovo": "XKX", "netherlands (kingdom of the)": "NLD",
    "the netherlands": "NLD", "netherlands": "NLD", "china": "CHN", "germany": "DEU",
}
# names cut off in the 2019-09 PDF ("Republic of" is Korea in every 2019 mission row seen)
TRUNCATED = {"republic of": "KOR", "russian": "RUS", "bosnia and": "BIH", "united states of": "USA",
             "united republic of": "TZA", "united kingdom of": "GBR", "democratic republic": "COD",
             "central african": "CAF", "iran (islamic": "IRN", "venezuela (bolivarian": "VEN",
             "bolivia (plurinational": "BOL", "lao people's": "LAO", "trinidad and": "TTO",
             "sao tome and": "STP", "papua new": "PNG", "antigua and": "ATG",
             "republic of north": "MKD", "the former yugoslav": "MKD", "syrian arab": "SYR",
             "dominican": "DOM", "united arab": "ARE", "saudi": "SAU", "sierra": "SLE",
             "burkina": "BFA", "el": "SLV", "sri": "LKA", "new": "NZL", "south": "ZAF",
             "equatorial": "GNQ", "bosnia": "BIH", "north": "MKD", "democratic republic of": "COD",
             "democratic repub": "COD", "democratic republic of the": "COD"}


def _norm(s):
    s = s.strip().strip("'\"`").strip()
    s = s.replace("\u2019", "'").replace("\u00a0", " ")
    s = re.sub(r"\s+", " ", s)
    return s.lower()


@functools.lru_cache(maxsize=None)
def to_iso3(name):
    if not name:
        return None
    n = _norm(name)
    if not n or len(n) < 3:
        return None
    if n in ALIASES:
        return ALIASES[n]
    if re.fullmatch(r"[a-z]{3}", n) is None:
        for attr in ("name", "official_name", "common_name"):
            for c in pycountry.countries:
                v = getattr(c, attr, None)
                if v and v.lower() == n:
                    return c.alpha_3
    return None


@functools.lru_cache(maxsize=1)
def _all_names():
    out = dict(ALIASES)
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                out.setdefault(_norm(v), c.alpha_3)
    return out


@functools.lru_cache(maxsize=None)
def country_prefix(text):
    """A country name cut off in the PDF (2019-09 and wrapped cells): a prefix of exactly
    one country's names."""
    n = _norm(re.sub(r"\(DRC\)", "", text))
    if n in TRUNCATED:
        return TRUNCATED[n]
    iso = to_iso3(n)
    if iso:
        return iso
    if len(n) < 5:
        return None
    cands = {iso for name, iso in _all_names().items() if name.startswith(n)}
    if len(cands) == 1:
        return cands.pop()
    return None
