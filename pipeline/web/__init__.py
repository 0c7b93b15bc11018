"""`vanban serve`: the web pages an office uses every day, and Datasette, over one store.

`app.create_app(db_path)` is the ASGI app: pages (pages.py, templates/) read the store
through read-only connections (reader.py) and the library's functions; labels come in
Vietnamese and English (i18n.py, data/labels.csv); Datasette serves the tables under
/data/ with their descriptions (datasette_app.py); uploads (upload.py) are off unless
asked for.
"""
