"""Every data domain bluehelmet reads, in the order the build reads them.

Each domain is declared once, in its own module (see :class:`bluehelmet.domain.Domain`);
this is the one list of them. The order fixes the order files are read, numbered and
written, and the order each domain's derive step runs. Declarations are light: readers
are named, not imported, so deciding which files there are and whether anything changed
imports no adapter (and no pyarrow).
"""

from __future__ import annotations

from ..domain import Domain, Layout
from . import aiddata, assessments, authorizations, dpo, fatalities, missions, owid, personnel, sites, spending

__all__ = ["DOMAINS", "domains", "layouts", "domain_of"]

DOMAINS: tuple[Domain, ...] = (
    personnel.DOMAIN,
    dpo.DOMAIN,  # its rows are personnel observations: written right after IPI's
    authorizations.DOMAIN,
    sites.DOMAIN,
    fatalities.DOMAIN,
    owid.DOMAIN,
    assessments.DOMAIN,
    aiddata.DOMAIN,  # finance: China's official finance (AidData)
    missions.DOMAIN,  # its merge reads the missions every domain before it names
    spending.DOMAIN,  # after missions: its derive resolves accounts against the merged reference
)


def domains() -> tuple[Domain, ...]:
    """Every declared domain, in build order."""
    return DOMAINS


def layouts() -> tuple[Layout, ...]:
    """Every layout of every domain, in build order."""
    return tuple(layout for d in DOMAINS for layout in d.layouts)


def domain_of(layout: Layout) -> Domain:
    """The domain that declares ``layout``."""
    for d in DOMAINS:
        if layout in d.layouts:
            return d
    raise KeyError(layout.name)
