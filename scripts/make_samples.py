"""Generate the bundled sample corpus in samples/ (invented reports, known truth).

Run from the repository root::

    python scripts/make_samples.py

The work is done by the package ``scripts/samples/`` (see its ``__init__.py``): the
Swedish text is in ``scripts/samples/texts/*.yaml``, the story in
``scripts/samples/plan.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samples.main import main

if __name__ == "__main__":
    sys.exit(main())
