"""``python -m mkdocs_postmortems``: the ``postmortems`` command."""

import sys

from mkdocs_postmortems.cli.main import main

sys.exit(main())
