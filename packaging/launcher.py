"""The packaged programs' entry point: the same command line as ``commandcenter``."""

from commandcenter.cli import main

raise SystemExit(main())
