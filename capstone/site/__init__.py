"""The report site: one static HTML page over everything the capstone pipeline produced.

Build it with ``python -m capstone.site`` (or ``build_site(root)``); open
``reports/index.html`` in any browser, from ``file://``, with no server and no network.
"""

from capstone.site.build import build_site

__all__ = ["build_site"]
