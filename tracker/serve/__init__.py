"""`tracker serve`: a read-only local dashboard (HTML pages and a JSON API) over the store.

filters.py (pure: the dashboard's query parameters and what they keep), pages.py (the HTML of
the dashboard, built from the export's page parts), reader.py (the store opened read-only, a
cache keyed by the log's head), app.py (the Starlette routes). Starlette and uvicorn are
imported only here, and this package only by `tracker serve`.
"""
