"""`breachdrill serve`: the join screen in a browser, through textual-serve.

The server (server.py) runs no drill code itself: each browser session gets its own process
(`python -m tui.web.session`), the same app a `breachdrill join` terminal runs, on the trainer's
database, and the browser only ever sees its screen. Nothing here opens a shell or a file for
a browser.
"""
