"""``python -m mkdocs_postmortems.cli``: the ``postmortems`` command."""

import sys

from mkdocs_postmortems.cli.main import main

sys.exit(main())
