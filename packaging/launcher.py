"""The packaged programs' entry point: the same command line as ``commandcenter``."""

import multiprocessing

# A frozen program is its own Python: the processes the year-end export spawns start this
# executable again, and freeze_support() runs them as workers instead of the app.
if __name__ == "__main__":
    multiprocessing.freeze_support()

    from commandcenter.cli import main

    raise SystemExit(main())
