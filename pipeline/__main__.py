"""`python -m pipeline`: the command line make calls."""

import sys

from pipeline.cli import main

sys.exit(main())
