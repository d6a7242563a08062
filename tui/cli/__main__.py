"""`python -m tui.cli`: the same as the `breachdrill` command."""

import sys

from . import main

sys.exit(main())
