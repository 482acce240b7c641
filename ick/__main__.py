"""``python -m ick``: the same entry point as the ``ick`` command."""

from ick.cli import main

raise SystemExit(main())
