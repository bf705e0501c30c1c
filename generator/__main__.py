"""``python -m errorsdk``: the errorsdk command line."""

import sys

from .cli import main

sys.exit(main())
