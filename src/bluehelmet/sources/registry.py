"""Every layout bluehelmet can read, in the order the build reads them.

Declared here as data, with each reader named by "module:function", so that deciding
which files there are and whether anything changed imports no adapter (and no pyarrow).
Precedence orders layouts of the same grain: lower wins (see store/writer.py resolve).
"""

from __future__ import annotations

from .layout import Context, Layout

__all__ = ["Layout", "Context", "layouts", "LAYOUTS"]

IPI = "UN DPO monthly troop and police contributor reports, compiled by the International Peace Institute (IPI)"
TCC = "IPI Providing for Peacekeeping, IPIDataLab/TCC-DataScraper @936f28e6"
PPP = "IPI Providing for Peacekeeping, IPIDataLab/PPP_Loader"
UN = "UN Department of Peace Operations, Peace and Security Data Hub"
GEOPKO = "Geo-PKO, Department of Peace and Conflict Research, Uppsala University"
GEOPKO_CITE = "Cil, Fjelde, Hultman and Nilsson (2020), Journal of Peace Research 57(2); Geo-PKO"

LAYOUTS: tuple[Layout, ...] = (
    # contributor x mission x month detail
    Layout("ipi_tcc_gender", ("ipi/tcc-datascraper/Gender.Full.csv",), "detail", 10, IPI, TCC,
           "ipi_detail:read_detail"),
    Layout("ipi_ppp_gender", ("ipi/ppp-loader/full_gender_data.csv",), "detail", 40, IPI,
           PPP + " blob ee52ebc6 (2014-10-21)", "ipi_detail:read_detail"),
    Layout("ipi_ppp_release_json", ("ipi/ppp-loader/update_archive/json/*.json",), "detail", 20, IPI,
           PPP + " update_archive (monthly release, JSON)", "ipi_releases:read_release_json"),
    Layout("ipi_ppp_release_csv", ("ipi/ppp-loader/update_archive/csv/*.csv",), "detail", 30, IPI,
           PPP + " update_archive (monthly release, CSV)", "ipi_releases:read_release_csv"),
    # coarser grains
    Layout("ipi_tcc_countries", ("ipi/tcc-datascraper/countries/*.csv",), "contributor", 50, IPI, TCC,
           "ipi_totals:read_countries"),
    Layout("ipi_ppp_countries", ("ipi/ppp-loader/countries/*.csv",), "contributor", 60, IPI,
           PPP + " @2653920a", "ipi_totals:read_countries"),
    Layout("ipi_tcc_missions", ("ipi/tcc-datascraper/Data.Mission.csv",), "mission", 50, IPI, TCC,
           "ipi_totals:read_missions"),
    Layout("ipi_ppp_missions", ("ipi/ppp-loader/data_mission.csv",), "mission", 60, IPI,
           PPP + " @2653920a", "ipi_totals:read_missions"),
    Layout("ipi_tcc_monthly", ("ipi/tcc-datascraper/Data.Monthly.csv",), "world", 50, IPI, TCC,
           "ipi_totals:read_world"),
    Layout("ipi_ppp_monthly", ("ipi/ppp-loader/data_monthly.csv",), "world", 60, IPI,
           PPP + " @2653920a", "ipi_totals:read_world"),
    # authorised strength (issue 3)
    Layout("mandates_shortfall", ("mandates/Personnel_shortfall_data.dta",), "authorized_strength", 110,
           "Trey Wood, Mandate_Contribute (from UN DPKO monthly reports and Security Council resolutions)",
           "treywood10/Mandate_Contribute @fddf06f9 Make_Data/Shortfalls/Personnel_shortfall_data.dta",
           "mandates:read_authorizations"),
    # deployment sites
    Layout("geopko_sites", ("geopko/geopko_v2.0.csv",), "deployment_site", 210, GEOPKO,
           GEOPKO_CITE + " v2.0, thaonguyen-ha/GeoPKO @1ec6e911 data/geopko.csv", "geopko:read_geopko"),
    Layout("geopko_front_map", ("geopko/FrontMap_v.2.3.csv",), "geopko_site_map", 220, GEOPKO,
           GEOPKO_CITE + " v2.3 dashboard table, geopko/Geo-PKO-Shiny-Dashboard @b6ba64e9",
           "geopko:read_front_map"),
    Layout("geopko_unit_types", ("geopko/TTMap_v.2.3.csv",), "geopko_unit_type", 225, GEOPKO,
           GEOPKO_CITE + " v2.3 dashboard table, geopko/Geo-PKO-Shiny-Dashboard @b6ba64e9",
           "geopko:read_unit_types"),
    Layout("geopko_site_contributors", ("geopko/TCCMap_v.2.3.csv",), "geopko_site_year", 226, GEOPKO,
           GEOPKO_CITE + " v2.3 dashboard table, geopko/Geo-PKO-Shiny-Dashboard @b6ba64e9",
           "geopko:read_site_contributors"),
    Layout("radpko_bases", ("radpko/radpko_bases_cc_y.csv",), "radpko_base_year", 230,
           "RADPKO (Robust Africa Deployments of Peacekeeping Operations), Hunnicutt and Nomikos",
           "dapp-lab/radpko-shiny @3a5ea5a7 radpko_bases_cc_y.csv", "geopko:read_radpko"),
    # fatalities
    Layout("un_fatalities", ("un/DPPADPOSS-FATALITIES.csv",), "fatality", 120, UN,
           "UN Peace and Security Data Hub DPPADPOSS-FATALITIES (last_update 2023-11-28), via "
           "OCHA-DAP/hdx-scraper-peacekeeping @d6909371", "fatalities:read_un_fatalities"),
    Layout("mandates_fatalities", ("mandates/Contigent-mission-month_data.dta",), "fatality_month", 130,
           "Trey Wood, Mandate_Contribute (from UN peacekeeping fatality records)",
           "treywood10/Mandate_Contribute @fddf06f9 Make_Data/PKO_Deaths/Contigent-mission-month_data.dta",
           "fatalities:read_fatality_aggregates"),
    # the mission reference
    Layout("un_pko_missions", ("un/DPPADPOSS-PKO.csv",), "mission_ref", 10, UN,
           "UN Peace and Security Data Hub DPPADPOSS-PKO, via tdballesteros/conflict-relapse @b82b6c1c",
           "un_missions:read_pko"),
    Layout("un_pko_crosswalk", ("un/unpko_country_crosswalk.xlsx",), "mission_ref", 20,
           "tdballesteros/conflict-relapse (third-party crosswalk)",
           "tdballesteros/conflict-relapse @b82b6c1c unpko_country_crosswalk.xlsx", "un_missions:read_crosswalk"),
    Layout("ipi_ppp_missions_json", ("ipi/ppp-loader/missions.json",), "mission_ref", 30,
           "International Peace Institute (IPI)", "IPIDataLab/PPP_Loader python/json/missions.json",
           "un_missions:read_ipi_missions"),
)


def layouts() -> tuple[Layout, ...]:
    return LAYOUTS
