"""python -m rnnlib.grade: see rnnlib.grade for the options."""
import sys

from . import main

sys.exit(main())
