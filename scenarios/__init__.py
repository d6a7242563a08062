"""What a drill is made of and how it is played: no UI and no drill storage (the one file kept
here is the library's row cache, catalog.py)."""

__version__ = "0.1.0"  # breachdrill's version (pyproject.toml reads it from here)
