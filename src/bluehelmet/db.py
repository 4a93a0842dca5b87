"""The read side's public face: an open database with the queries as its methods.

Each query is a typed module-level function in ``bluehelmet.query`` taking the open
:class:`~bluehelmet.query.connection.Connection` first; :class:`Database` binds them, so
``db.personnel(...)`` is ``personnel(db, ...)``, with one signature and one docstring.
The queries call each other directly, never through this class.
"""

from __future__ import annotations

from .query import assessments as _assessments
from .query import catalog as _catalog
from .query import coverage as _coverage
from .query import fatalities as _fatalities
from .query import finance as _finance
from .query import missions as _missions
from .query import money as _money
from .query import personnel as _personnel
from .query import rank as _rank
from .query import shares as _shares
from .query import sites as _sites
from .query import spending as _spending
from .query.connection import Connection
from .query.selection import Selection

__all__ = ["Database", "Selection"]


class Database(Connection):
    """A read-only bluehelmet database.

    >>> import bluehelmet
    >>> db = bluehelmet.open()                                     # doctest: +SKIP
    >>> db.personnel(country=["China"], month="2013-12").scalar()  # doctest: +SKIP
    2078
    """

    personnel = _personnel.personnel
    rank = _rank.rank
    shares = _shares.shares
    sites = _sites.sites
    fatalities = _fatalities.fatalities
    sources = _catalog.sources
    # spans and gaps per grain and domain (``self.coverage`` is the month lookup per grain)
    coverage_spans = _coverage.coverage
    # the month every answer given none is for: one definition, asked by every surface
    latest_month = _coverage.latest_month
    authorized = _missions.authorized
    deployed = _missions.deployed
    # missions at a month (``self.missions`` is the acronym lookup)
    mission_list = _missions.missions
    mission_directory = _missions.mission_directory
    mission = _missions.mission_profile
    country = _missions.country_profile
    spending = _spending.spending
    # who pays: regular-budget and peacekeeping shares, amounts and ranks per year
    assessments = _assessments.assessments
    # China's official finance (AidData), and the versions it can be answered from
    finance = _finance.finance
    finance_datasets = _finance.finance_datasets
    # money as wholes: who pays over time, China's finance by recipient and year
    who_pays = _money.who_pays
    assessment_years = _money.assessment_years
    finance_overview = _money.finance_overview
