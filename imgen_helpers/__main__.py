"""``python -m imgen_helpers COMMAND``: the course's command lines (:mod:`imgen_helpers.cli`)."""

import sys

from .cli import main

sys.exit(main())
