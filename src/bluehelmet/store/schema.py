"""The database schema. Facts stay at their native grain; every row says its source.

``obs_*`` hold every observation of every source (what each file said); ``personnel*``
hold one resolved value per cell, taken per month from the highest-precedence source that
covers that month at that grain (precedence is the layout's, see ``sources/``).
"""

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE source_file (
    source_id INTEGER PRIMARY KEY, relpath VARCHAR NOT NULL, layout VARCHAR NOT NULL,
    target VARCHAR NOT NULL, precedence INTEGER NOT NULL, sha256 VARCHAR NOT NULL,
    bytes BIGINT NOT NULL, producer VARCHAR, citation VARCHAR, release VARCHAR,
    rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_quarantined INTEGER NOT NULL,
    coverage_from DATE, coverage_to DATE);

CREATE TABLE quarantine (source_id INTEGER NOT NULL, line INTEGER, "column" VARCHAR,
    reason VARCHAR NOT NULL, raw VARCHAR);

CREATE TABLE finding (source_id INTEGER, kind VARCHAR NOT NULL, message VARCHAR NOT NULL,
    count INTEGER NOT NULL);

CREATE TABLE country (iso3 VARCHAR PRIMARY KEY, m49 INTEGER, name VARCHAR NOT NULL,
    official_name VARCHAR, region VARCHAR, subregion VARCHAR, continent VARCHAR,
    valid_from DATE, valid_to DATE, successors VARCHAR[]);

CREATE TABLE country_alias (alias_key VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL, origin VARCHAR);

-- spellings actually met in the sources, with the file they were met in
CREATE TABLE country_spelling (spelling VARCHAR, iso3 VARCHAR, source_id INTEGER);

CREATE TABLE country_group_info (grp VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR,
    description VARCHAR);

CREATE TABLE country_group (grp VARCHAR NOT NULL, iso3 VARCHAR NOT NULL, valid_from DATE,
    valid_to DATE, note VARCHAR);

CREATE TABLE mission (acronym VARCHAR PRIMARY KEY, name VARCHAR, lead_department VARCHAR,
    type VARCHAR, active BOOLEAN, start_date DATE, end_date DATE, hq VARCHAR, hq_lon DOUBLE,
    hq_lat DOUBLE, in_reference BOOLEAN NOT NULL, source_ids INTEGER[]);

CREATE TABLE mission_host (acronym VARCHAR NOT NULL, iso3 VARCHAR NOT NULL, source_id INTEGER);

CREATE TABLE obs_detail (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    contributor VARCHAR NOT NULL, mission VARCHAR NOT NULL, type VARCHAR NOT NULL,
    male BIGINT, female BIGINT, total BIGINT);
CREATE TABLE obs_contributor (source_id INTEGER NOT NULL, line INTEGER NOT NULL,
    month DATE NOT NULL, contributor VARCHAR NOT NULL, type VARCHAR NOT NULL,
    male BIGINT, female BIGINT, total BIGINT);
CREATE TABLE obs_mission (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    mission VARCHAR NOT NULL, type VARCHAR NOT NULL, male BIGINT, female BIGINT, total BIGINT);
CREATE TABLE obs_world (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    type VARCHAR NOT NULL, male BIGINT, female BIGINT, total BIGINT);

-- ---- missions on the ground (issue 3) -------------------------------------------------
-- authorised strength and deployed figures, mission x month (mandates/Personnel_shortfall_data.dta)
CREATE TABLE authorized_strength (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    month DATE NOT NULL, auth_troops BIGINT, auth_police BIGINT, auth_observers BIGINT, auth_total BIGINT,
    troops BIGINT, police BIGINT, observers BIGINT, total BIGINT);

-- official incident-level fatalities, one row per casualty (un/DPPADPOSS-FATALITIES.csv)
CREATE TABLE fatality (source_id INTEGER NOT NULL, line INTEGER NOT NULL, casualty_id VARCHAR,
    incident_date DATE NOT NULL, month DATE NOT NULL, mission VARCHAR NOT NULL, nationality VARCHAR,
    nationality_name VARCHAR, personnel_type VARCHAR, incident_type VARCHAR, casualty_type VARCHAR,
    gender VARCHAR);

-- fatalities aggregated by nationality x mission x month (mandates/Contigent-mission-month_data.dta)
CREATE TABLE fatality_month (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    mission VARCHAR NOT NULL, nationality VARCHAR, nationality_name VARCHAR, illness BIGINT,
    accident BIGINT, malicious BIGINT, other BIGINT, total BIGINT, military BIGINT, observers BIGINT,
    police BIGINT, local_staff BIGINT, international_staff BIGINT, other_staff BIGINT);

-- >>> deployment sites (Geo-PKO, RADPKO): tables defined by the sites adapter's author
-- one row per location per UN deployment map (geopko/geopko_v2.0.csv); map_date is the
-- map's year-month; troops NULL when the source says 'unknown'; hq 3 mission, 2 sector, 1 lower
CREATE TABLE deployment_site (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    map VARCHAR, map_no VARCHAR, map_revision INTEGER, year INTEGER NOT NULL, month INTEGER,
    map_date DATE NOT NULL, location VARCHAR NOT NULL, country VARCHAR NOT NULL, country_name VARCHAR,
    latitude DOUBLE, longitude DOUBLE, troops BIGINT, troops_unknown BOOLEAN, rpf BOOLEAN,
    rpf_troops BIGINT, reserve BOOLEAN, reserve_troops BIGINT, force_protection BOOLEAN,
    force_protection_troops BIGINT, unpol BOOLEAN, unmo BOOLEAN, hq INTEGER, hq_code VARCHAR,
    hq_level VARCHAR, liaison BOOLEAN, tcc_count INTEGER, adm1 VARCHAR, adm2 VARCHAR, prio_gid INTEGER,
    comments VARCHAR);
-- the site's contributors (slots 1-14 of the source row at source_id, line)
CREATE TABLE site_contributor (source_id INTEGER NOT NULL, line INTEGER NOT NULL, slot INTEGER NOT NULL,
    contributor VARCHAR, contributor_name VARCHAR NOT NULL, troops BIGINT);
-- cross-check tables: Geo-PKO v2.3 FrontMap (location x map, year only) and RADPKO yearly base means
CREATE TABLE geopko_site_map (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    year INTEGER NOT NULL, country_name VARCHAR, location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE,
    infantry BIGINT, troops BIGINT, reserve BIGINT, hq BIGINT, unpol BIGINT, medical BIGINT, aviation BIGINT,
    unmo BIGINT, avg_troops BIGINT);
CREATE TABLE radpko_base_year (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    country_name VARCHAR, base VARCHAR NOT NULL, month DATE, year INTEGER NOT NULL, latitude DOUBLE,
    longitude DOUBLE, pko_deployed DOUBLE, troops DOUBLE, police DOUBLE, observers DOUBLE, contributors DOUBLE);
-- unit types per location and year (geopko/TTMap_v.2.3.csv, a table of the Geo-PKO
-- dashboard), as published and undocumented: infantry reads as troops (35, 150, 650 are
-- Geo-PKO's platoon, company and battalion sizes); the other types are small counts that
-- match the number of the year's maps in 120 of 159 mission-years and exceed it in 12, so
-- they read as unit appearances summed over the year's maps: presence and how often, not
-- headcounts
CREATE TABLE geopko_unit_type (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    year INTEGER NOT NULL, location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE, infantry BIGINT,
    engineering BIGINT, medical BIGINT, signals BIGINT, aviation BIGINT, riverine BIGINT, maintenance BIGINT,
    transport BIGINT);
-- contributors per location and year (geopko/TCCMap_v.2.3.csv): the table's overview text
-- ("Austria (650), India (150)") parsed; troops NULL where it says "size unknown";
-- contributor NULL, name as written, for labels that name no country ("TCC name unknown",
-- "Multinational", "CARICOM", "Un")
CREATE TABLE geopko_site_year (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    year INTEGER NOT NULL, location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE, tcc_count INTEGER,
    contributors STRUCT(contributor VARCHAR, name VARCHAR, troops BIGINT)[]);
-- <<< deployment sites

CREATE TABLE reconciliation (check_name VARCHAR NOT NULL, label_a VARCHAR, label_b VARCHAR,
    month DATE NOT NULL,
    contributor VARCHAR, mission VARCHAR, type VARCHAR NOT NULL,
    source_a INTEGER, value_a BIGINT, source_b INTEGER, value_b BIGINT);
CREATE TABLE reconciliation_summary (check_name VARCHAR NOT NULL, label_a VARCHAR,
    label_b VARCHAR, months INTEGER, cells BIGINT, differing BIGINT, abs_diff BIGINT,
    max_abs_diff BIGINT, first_month DATE, last_month DATE, explanation VARCHAR);
"""

# Personnel types as stored. Detail sources split police into formed units and
# individual officers; coarse sources only know "police".
FINE_TYPES = ("troops", "formed_police", "individual_police", "experts")
COARSE_TYPES = ("troops", "police", "experts")
COARSE_SQL = "CASE WHEN type IN ('formed_police', 'individual_police') THEN 'police' ELSE type END"
# user-facing type -> stored types; None means "every stored type". Here, not in the query
# package, so the CLI and the web can offer the names without importing the query code.
PERSONNEL_TYPES: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "troops": ("troops",),
    "police": ("police", "formed_police", "individual_police"),
    "formed-police": ("formed_police",),
    "individual-police": ("individual_police",),
    "experts": ("experts",),
    "staff-officers": ("staff_officers",),
}
# the types some loaded source counts (none counts staff officers apart from troops): what
# rankings and mission lists offer
COUNTED_TYPES = tuple(t for t in PERSONNEL_TYPES if t != "staff-officers")
# geopko_unit_type's unit columns, in the order of the source's columns
UNIT_TYPES = ("infantry", "engineering", "medical", "signals", "aviation", "riverine", "maintenance", "transport")
