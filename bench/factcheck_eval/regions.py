"""Hand-written country groups for the independent labeller (no bluehelmet import).

Regions follow the UN M49 standard (geographic regions and sub-regions); political groups
carry membership dates where they changed inside the period the data covers.
"""

def _s(text):
    return set(text.split())

# --- UN M49 sub-regions -----------------------------------------------------------------
M49_SUB = {
    "Northern Africa": _s("DZA EGY LBY MAR SDN TUN ESH"),
    "Eastern Africa": _s("IOT BDI COM DJI ERI ETH ATF KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD UGA TZA ZMB ZWE"),
    "Middle Africa": _s("AGO CMR CAF TCD COG COD GNQ GAB STP"),
    "Southern Africa": _s("BWA SWZ LSO NAM ZAF"),
    "Western Africa": _s("BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO"),
    "Central Asia": _s("KAZ KGZ TJK TKM UZB"),
    "Eastern Asia": _s("CHN HKG MAC PRK JPN MNG KOR TWN"),
    "South-eastern Asia": _s("BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM"),
    "Southern Asia": _s("AFG BGD BTN IND IRN MDV NPL PAK LKA"),
    "Western Asia": _s("ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE YEM"),
    "Eastern Europe": _s("BLR BGR CZE HUN POL MDA ROU RUS SVK UKR"),
    "Northern Europe": _s("ALA DNK EST FRO FIN GGY ISL IRL IMN JEY LVA LTU NOR SJM SWE GBR"),
    "Southern Europe": _s("ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP XKX"),
    "Western Europe": _s("AUT BEL FRA DEU LIE LUX MCO NLD CHE"),
    "Caribbean": _s("AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA MAF VCT SXM TTO TCA VIR"),
    "Central America": _s("BLZ CRI SLV GTM HND MEX NIC PAN"),
    "South America": _s("ARG BOL BRA CHL COL ECU FLK GUF GUY PRY PER SUR URY VEN"),
    "Northern America": _s("BMU CAN GRL SPM USA"),
    "Australia and New Zealand": _s("AUS NZL NFK"),
    "Melanesia": _s("FJI NCL PNG SLB VUT"),
    "Micronesia": _s("GUM KIR MHL FSM NRU MNP PLW"),
    "Polynesia": _s("ASM COK PYF NIU PCN WSM TKL TON TUV WLF"),
}
M49_REGION = {
    "Africa": ["Northern Africa", "Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"],
    "Asia": ["Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia"],
    "Europe": ["Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"],
    "Americas": ["Caribbean", "Central America", "South America", "Northern America"],
    "Oceania": ["Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"],
    "Latin America and the Caribbean": ["Caribbean", "Central America", "South America"],
    "Sub-Saharan Africa": ["Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"],
}
REGION_ALIASES = {
    "south asia": "Southern Asia", "southern asia": "Southern Asia",
    "southeast asia": "South-eastern Asia", "south-east asia": "South-eastern Asia",
    "south-eastern asia": "South-eastern Asia", "east asia": "Eastern Asia",
    "eastern asia": "Eastern Asia", "central asia": "Central Asia",
    "west asia": "Western Asia", "western asia": "Western Asia", "middle east": "Western Asia",
    "north africa": "Northern Africa", "northern africa": "Northern Africa",
    "east africa": "Eastern Africa", "eastern africa": "Eastern Africa",
    "west africa": "Western Africa", "western africa": "Western Africa",
    "central africa": "Middle Africa", "middle africa": "Middle Africa",
    "southern africa": "Southern Africa",
    "eastern europe": "Eastern Europe", "western europe": "Western Europe",
    "northern europe": "Northern Europe", "southern europe": "Southern Europe",
    "latin america": "Latin America and the Caribbean",
    "latin america and the caribbean": "Latin America and the Caribbean",
    "south america": "South America", "central america": "Central America",
    "caribbean": "Caribbean", "north america": "Northern America",
    "northern america": "Northern America", "sub-saharan africa": "Sub-Saharan Africa",
}


def region_members(name):
    """ISO3 set for an M49 region/sub-region name, or None."""
    for k in M49_REGION:
        if k.lower() == name.lower():
            out = set()
            for sub in M49_REGION[k]:
                out |= M49_SUB[sub]
            return out
    sub = REGION_ALIASES.get(name.lower())
    if sub in M49_REGION:
        return region_members(sub)
    if sub:
        return set(M49_SUB[sub])
    for k in M49_SUB:
        if k.lower() == name.lower():
            return set(M49_SUB[k])
    return None


P5 = _s("CHN FRA GBR RUS USA")
_AFRICA_STATES = region_members("Africa") - _s("IOT ATF MYT REU SHN")
ASEAN = _s("BRN KHM IDN LAO MYS MMR PHL SGP THA VNM")
ARAB_LEAGUE = _s("DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM")
_EU_BASE = _s("AUT BEL CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT SVK SVN ESP SWE")
_NATO_BASE = _s("BEL CAN CZE DNK EST FRA DEU GRC HUN ISL ITA LVA LTU LUX NLD NOR POL PRT SVK SVN ESP TUR GBR USA BGR ROU")


def group_members(name, month):
    """ISO3 set of a political group at a month (YYYY-MM), or None if unknown here."""
    n = name.strip()
    u = n.upper().replace(" ", "").replace("-", "")
    if u == "P5":
        return set(P5)
    if u in ("AU", "AFRICANUNION"):
        s = set(_AFRICA_STATES)
        if month < "2017-01":
            s.discard("MAR")
        if "2011-07" > month:
            s.discard("SSD")
        return s
    if u in ("EU", "EUROPEANUNION"):
        s = set(_EU_BASE)
        if month >= "2007-01":
            s |= {"BGR", "ROU"}
        if month >= "2013-07":
            s.add("HRV")
        if month < "2020-02":
            s.add("GBR")
        if month < "2004-05":
            s -= _s("CYP CZE EST HUN LVA LTU MLT POL SVK SVN")
        return s
    if u == "NATO":
        s = set(_NATO_BASE)
        if month >= "2009-04":
            s |= {"ALB", "HRV"}
        if month >= "2017-06":
            s.add("MNE")
        if month >= "2020-03":
            s.add("MKD")
        if month >= "2023-04":
            s.add("FIN")
        if month >= "2024-03":
            s.add("SWE")
        return s
    if u == "ASEAN":
        return set(ASEAN)
    if u in ("ARABLEAGUE", "LAS"):
        return set(ARAB_LEAGUE)
    return None
