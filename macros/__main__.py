"""Entry point for ``python -m macros``."""

import sys

from .check import main

sys.exit(main())
