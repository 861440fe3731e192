"""Entry point for ``python -m macros``."""

import sys

from .check_command import main

sys.exit(main())
