"""Every layout bluehelmet can read, in the order the build reads them."""

from __future__ import annotations

from functools import lru_cache

from .layout import Context, Layout

__all__ = ["Layout", "Context", "layouts"]


@lru_cache(maxsize=1)
def layouts() -> tuple[Layout, ...]:
    from . import ipi_detail, ipi_releases, ipi_totals, un_missions

    return (*ipi_detail.LAYOUTS, *ipi_releases.LAYOUTS, *ipi_totals.LAYOUTS, *un_missions.LAYOUTS)
