"""Entry point of ``python -m tapgen``."""

import sys

from tapgen.cli import main

sys.exit(main())
