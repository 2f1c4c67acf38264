"""`python -m dagster_project.answer --from 2019 --to 2022`."""

import sys

from . import main

sys.exit(main())
